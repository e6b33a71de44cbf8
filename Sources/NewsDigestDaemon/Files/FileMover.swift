import Glibc

/// Moves inputs out of the drop folder without ever replacing a file already at the
/// destination, and across file systems when it must.
public enum FileMover {
    /// Moves `source` to `destination`, or, when that name is taken, to the same folder with
    /// `prefix-` before the name. Returns where the file ended up.
    @discardableResult
    public static func move(_ source: AbsolutePath, to destination: AbsolutePath, prefix: String) throws(SystemError)
        -> AbsolutePath
    {
        try Directory.create(destination.parent)
        var target = destination
        for attempt in 0..<100 {
            if attempt == 1 {
                target = destination.parent.appending(
                    prefix + "-" + RelativePath(bytes: destination.lastComponent).display)
            } else if attempt > 1 {
                target = destination.parent.appending(
                    prefix + "-\(attempt)-" + RelativePath(bytes: destination.lastComponent).display)
            }
            // link() refuses to replace an existing name, which rename() would do silently.
            let rc = source.withCString { s in target.withCString { t in link(s, t) } }
            if rc == 0 {
                if source.withCString({ unlink($0) }) != 0 { throw SystemError("unlink", path: source.display) }
                return target
            }
            switch errno {
            case EEXIST:
                continue
            case EXDEV:
                if try copyNoReplace(source, target) {
                    if source.withCString({ unlink($0) }) != 0 { throw SystemError("unlink", path: source.display) }
                    return target
                }
                continue
            case EPERM, ENOTSUP, EMLINK:
                // A file system without hard links: check-then-rename is the best left.
                var st = stat()
                if target.withCString({ lstat($0, &st) }) == 0 { continue }
                if source.withCString({ s in target.withCString { t in rename(s, t) } }) == 0 { return target }
                throw SystemError("rename", path: source.display)
            default:
                throw SystemError("link", path: source.display)
            }
        }
        throw SystemError("move", path: source.display, code: EEXIST)
    }

    /// Copy to a new file (O_EXCL) and fsync it; false when the name is taken.
    static func copyNoReplace(_ source: AbsolutePath, _ target: AbsolutePath) throws(SystemError) -> Bool {
        let input = source.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard input >= 0 else { throw SystemError("open", path: source.display) }
        defer { close(input) }
        let output = target.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        if output < 0 {
            if errno == EEXIST { return false }
            throw SystemError("open", path: target.display)
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                close(output)
                throw SystemError("read", path: source.display)
            }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                if w < 0 {
                    if errno == EINTR { continue }
                    close(output)
                    throw SystemError("write", path: target.display)
                }
                written += w
            }
        }
        if fsync(output) != 0 {
            close(output)
            throw SystemError("fsync", path: target.display)
        }
        close(output)
        return true
    }
}
