import Glibc
import NewsDigest

/// Reads one dropped file without ever blocking on it or following it elsewhere: `O_NONBLOCK`
/// so a FIFO that slipped in cannot hang a worker, `O_NOFOLLOW` so a link swapped in after the
/// scan cannot lead out of the folder, then `fstat` on what was really opened.
public enum InputFile {
    /// Opens `path` that way and checks it is a regular file: the descriptor (the caller
    /// closes it) and what `fstat` says of it.
    static func open(_ path: AbsolutePath) -> Result<(fd: Int32, stat: stat), Rejection> {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { return .failure(Rejection(.notAFile, "symbolic link: not followed")) }
            return .failure(Rejection(.unreadable, "cannot open: \(String(cString: strerror(code)))"))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            return .failure(Rejection(.unreadable, "cannot stat: \(String(cString: strerror(code)))"))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .failure(Rejection(.notAFile, "not a regular file"))
        }
        return .success((fd, st))
    }

    public static func read(_ path: AbsolutePath, limit: Int) -> Result<[UInt8], Rejection> {
        let fd: Int32
        let st: stat
        switch open(path) {
        case .failure(let r): return .failure(r)
        case .success(let opened): (fd, st) = opened
        }
        defer { close(fd) }
        guard st.st_size <= limit else {
            return .failure(
                Rejection(.size, "file too large: \(st.st_size) bytes, the limit is \(limit) (input.max_file_bytes)"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file grew since fstat: read on, up to the limit, so nothing is cut off silently.
                guard bytes.count < limit + 1 else { break }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: min(65536, limit + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Rejection(.unreadable, "read error: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        if bytes.count > limit {
            return .failure(Rejection(.size, "file too large: over \(limit) bytes (input.max_file_bytes)"))
        }
        return .success(bytes)
    }

    /// The first bytes of a file (up to `count`), or nil when it cannot be read: enough to tell
    /// a JSON array from an object without reading the file.
    public static func peek(_ path: AbsolutePath, count: Int = 4096) -> [UInt8]? {
        guard case .success(let (fd, _)) = open(path) else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        guard n >= 0 else { return nil }
        bytes.removeLast(count - n)
        return bytes
    }
}
