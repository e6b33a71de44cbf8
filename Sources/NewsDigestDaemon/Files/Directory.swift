import Glibc

/// Absolute paths as bytes, and the few directory operations the state and the drop folder need.
public struct AbsolutePath: Sendable, Hashable {
    public let bytes: [UInt8]
    public init(_ s: String) { bytes = Array(s.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var display: String { RelativePath(bytes: bytes).display }

    public func appending(_ relative: RelativePath) -> AbsolutePath {
        AbsolutePath(bytes: bytes + [0x2F] + relative.bytes)
    }
    public func appending(_ component: String) -> AbsolutePath {
        AbsolutePath(bytes: bytes + [0x2F] + Array(component.utf8))
    }

    public var parent: AbsolutePath {
        guard let slash = bytes.lastIndex(of: 0x2F), slash > 0 else { return AbsolutePath("/") }
        return AbsolutePath(bytes: Array(bytes[..<slash]))
    }

    public var lastComponent: [UInt8] {
        guard let slash = bytes.lastIndex(of: 0x2F) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// Calls `body` with a NUL-terminated copy.
    public func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var c = bytes.map { CChar(bitPattern: $0) }
        c.append(0)
        return try c.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

public enum Directory {
    /// `mkdir -p`, mode 0755.
    public static func create(_ path: AbsolutePath) throws(SystemError) {
        var prefix: [UInt8] = []
        for (i, b) in path.bytes.enumerated() {
            prefix.append(b)
            let atEnd = i == path.bytes.count - 1
            guard (b == 0x2F && i > 0) || atEnd else { continue }
            let dir = AbsolutePath(bytes: b == 0x2F ? Array(prefix.dropLast()) : prefix)
            let rc = dir.withCString { mkdir($0, 0o755) }
            if rc != 0 && errno != EEXIST { throw SystemError("mkdir", path: dir.display) }
        }
    }

    /// fsync on a directory: makes the names created, moved or removed in it durable.
    public static func sync(_ path: AbsolutePath) throws(SystemError) {
        let fd = path.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open", path: path.display) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw SystemError("fsync", path: path.display) }
    }

    public static func isDirectory(_ path: AbsolutePath) -> Bool {
        var st = stat()
        return path.withCString { stat($0, &st) } == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
