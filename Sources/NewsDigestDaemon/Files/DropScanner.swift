import Glibc

/// What identifies one dropped file across a crash and a restart: the same inode with the same
/// size and modification time is the same input, whatever its name is now.
public struct FileIdentity: Sendable, Hashable, Codable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var mtimeNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, mtimeNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
    }

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    /// Milliseconds since the file was last modified, by the wall clock (mtimes are wall time).
    public var millisecondsSinceModified: Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return (Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - mtimeNanoseconds) / 1_000_000
    }
}

/// Lists the inputs waiting in the drop folder, in byte order of their relative paths.
public enum DropScanner {
    public struct Entry: Sendable {
        public let path: RelativePath
        public let identity: FileIdentity
    }

    /// Something in the folder that is not an input, and why (logged, never touched).
    public struct Skipped: Sendable {
        public let path: RelativePath
        public let reason: String
        /// A subfolder that could not be listed (permissions): its files wait, and the daemon
        /// tries it again later.
        public var unlistableFolder = false
    }

    /// Names that are still being written: scrapers write `x.part` or `.x` and rename when done.
    public static func isPartialName(_ name: [UInt8]) -> Bool {
        if name.first == 0x2E || name.last == 0x7E { return true }
        for suffix in [".tmp", ".part", ".crdownload", ".partial", ".swp", ".download"] {
            let s = Array(suffix.utf8)
            if name.count > s.count && name.suffix(s.count).map({ $0 | 0x20 }) == s { return true }
        }
        return false
    }

    /// Why something that is not a regular file or a folder is left alone.
    public static func notAnInput(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "symbolic link: not followed, not an input"
        case S_IFIFO: return "FIFO: not an input"
        case S_IFSOCK: return "socket: not an input"
        case S_IFCHR, S_IFBLK: return "device: not an input"
        default: return "special file: not an input"
        }
    }

    public static func scan(_ root: AbsolutePath) throws(SystemError) -> (entries: [Entry], skipped: [Skipped]) {
        var entries: [Entry] = []
        var skipped: [Skipped] = []
        try walk(root, RelativePath(bytes: []), &entries, &skipped, depth: 0)
        entries.sort { $0.path < $1.path }
        return (entries, skipped)
    }

    private static func walk(
        _ root: AbsolutePath, _ relative: RelativePath, _ entries: inout [Entry], _ skipped: inout [Skipped], depth: Int
    ) throws(SystemError) {
        let dirPath = relative.bytes.isEmpty ? root : root.appending(relative)
        guard let dir = dirPath.withCString({ opendir($0) }) else {
            if relative.bytes.isEmpty { throw SystemError("opendir", path: dirPath.display) }
            skipped.append(
                Skipped(
                    path: relative, reason: "cannot list folder: \(String(cString: strerror(errno)))",
                    unlistableFolder: true))
            return
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw -> [UInt8] in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        for name in names where !isPartialName(name) {
            let child = relative.appending(name)
            var st = stat()
            guard root.appending(child).withCString({ lstat($0, &st) }) == 0 else { continue }  // gone meanwhile
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                entries.append(Entry(path: child, identity: FileIdentity(st)))
            case S_IFDIR:
                if depth < 32 { try walk(root, child, &entries, &skipped, depth: depth + 1) }
            default:
                skipped.append(Skipped(path: child, reason: notAnInput(st.st_mode)))
            }
        }
    }
}
