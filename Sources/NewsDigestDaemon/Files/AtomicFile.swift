import Glibc

/// Replaces a file so that a reader sees the old bytes or the new ones, never a mix, and a
/// crash leaves one of the two: write a dot-named temp file beside it, fsync, rename, fsync the
/// folder.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: AbsolutePath, mode: mode_t = 0o644) throws(SystemError) {
        try write(to: path, mode: mode) { put throws(SystemError) in try put(bytes) }
    }

    /// The same, for content made piece by piece: `body` hands each piece to the writer it is
    /// given, and nothing of it is held here.
    public static func write(
        to path: AbsolutePath, mode: mode_t = 0o644,
        _ body: (_ put: ([UInt8]) throws(SystemError) -> Void) throws(SystemError) -> Void
    ) throws(SystemError) {
        var template = path.parent.appending("." + RelativePath(bytes: path.lastComponent).display + ".XXXXXX")
            .bytes.map { CChar(bitPattern: $0) }
        template.append(0)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SystemError("mkstemp", path: path.parent.display) }
        let tempPath = AbsolutePath(bytes: template.dropLast().map { UInt8(bitPattern: $0) })
        var ok = false
        defer {
            if !ok { _ = tempPath.withCString { unlink($0) } }
        }
        do throws(SystemError) {
            try body { bytes throws(SystemError) in
                var written = 0
                while written < bytes.count {
                    let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw SystemError("write", path: tempPath.display)
                    }
                    written += n
                }
            }
        } catch {
            close(fd)
            throw error
        }
        // mkstemp makes 0600; digests are for readers.
        if fchmod(fd, mode) != 0 || fsync(fd) != 0 {
            let e = SystemError("fsync", path: tempPath.display)
            close(fd)
            throw e
        }
        close(fd)
        let rc = tempPath.withCString { t in path.withCString { p in rename(t, p) } }
        guard rc == 0 else { throw SystemError("rename", path: path.display) }
        ok = true
        try Directory.sync(path.parent)
    }
}
