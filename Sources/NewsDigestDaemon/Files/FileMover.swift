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
                // A move cut short (kill -9 between link and unlink, or after a copy across
                // file systems): the file is there already, and only its drop name is left.
                if try isSameFile(source, target) {
                    if source.withCString({ unlink($0) }) != 0 { throw SystemError("unlink", path: source.display) }
                    return target
                }
                continue
            case EXDEV:
                var there = try copyNoReplace(source, target)
                if !there { there = try isSameFile(source, target) }
                if there {
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

    /// Whether `target` is `source` already: the same inode, or on another file system a
    /// finished copy (same size, same bytes; a copy cut short is shorter or differs).
    static func isSameFile(_ source: AbsolutePath, _ target: AbsolutePath) throws(SystemError) -> Bool {
        var s = stat()
        var t = stat()
        guard source.withCString({ lstat($0, &s) }) == 0 else { throw SystemError("lstat", path: source.display) }
        guard target.withCString({ lstat($0, &t) }) == 0 else { return false }
        if s.st_dev == t.st_dev { return s.st_ino == t.st_ino }
        guard (t.st_mode & S_IFMT) == S_IFREG, s.st_size == t.st_size else { return false }
        return try contents(source) == contents(target)
    }

    private static func contents(_ path: AbsolutePath) throws(SystemError) -> [UInt8] {
        let fd = path.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open", path: path.display) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("read", path: path.display)
            }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// Copies to a dot-named file beside `target`, fsyncs it, then links it to `target`: the
    /// name appears with all the bytes or not at all, so a kill mid-copy leaves no part copy
    /// under an archive name (the dot-file is overwritten by the next try). False when the name
    /// is taken.
    static func copyNoReplace(_ source: AbsolutePath, _ target: AbsolutePath) throws(SystemError) -> Bool {
        var st = stat()
        if target.withCString({ lstat($0, &st) }) == 0 { return false }
        let partial = target.parent.appending("." + RelativePath(bytes: target.lastComponent).display + ".partial")
        try copy(source, to: partial)
        defer { _ = partial.withCString { unlink($0) } }
        if partial.withCString({ p in target.withCString { t in link(p, t) } }) != 0 {
            if errno == EEXIST { return false }
            throw SystemError("link", path: target.display)
        }
        return true
    }

    /// Copies `source` to `target` (replacing it) and fsyncs the copy.
    private static func copy(_ source: AbsolutePath, to target: AbsolutePath) throws(SystemError) {
        let input = source.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard input >= 0 else { throw SystemError("open", path: source.display) }
        defer { close(input) }
        let output = target.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644) }
        if output < 0 {
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
    }
}
