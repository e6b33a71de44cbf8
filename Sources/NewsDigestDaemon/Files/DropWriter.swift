import Foundation
import Glibc

/// Writes an article into a drop folder the way the daemon expects scrapers to: under a dot-name
/// first (never read), fsynced, renamed into place, the folder fsynced. The daemon never sees a
/// half-written file, and a crash leaves either nothing or the whole file.
public struct DropWriter {
    public let drop: AbsolutePath
    /// Group read and write: the daemon, a member of the folder's group, moves the file to its
    /// archive with link(2), which protected hard links allow only on files it may also write.
    public static let mode: mode_t = 0o660
    private var counter = 0

    public init(drop: AbsolutePath) { self.drop = drop }

    public enum Failure: Error, CustomStringConvertible {
        case missingFolder(String)
        case notWritable(String, String)
        case badSource(String)
        public var description: String {
            switch self {
            case .missingFolder(let path): return "\(path): no such drop folder"
            case .notWritable(let path, let why): return "\(path): cannot write here: \(why)"
            case .badSource(let name): return "--source \"\(name)\": must be one folder name, not starting with a dot"
            }
        }
    }

    /// A name that sorts by time of writing and is unique: UTC time to the nanosecond, the
    /// process, and a count within it.
    public mutating func uniqueName(extension ext: String, now: timespec = Self.now()) -> String {
        var t = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02d.%09ldZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(now.tv_nsec))
        defer { counter += 1 }
        return "\(stamp)-\(getpid())-\(counter).\(ext)"
    }

    public static func now() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts
    }

    /// Writes `bytes` as a new file (in `source`'s subfolder when given) and returns its path
    /// relative to the drop folder.
    public mutating func write(_ bytes: [UInt8], extension ext: String, source: String?) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: drop.display, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure.missingFolder(drop.display)
        }
        var folder = drop
        var relative = ""
        if let source {
            guard !source.isEmpty, !source.hasPrefix("."), !source.contains("/") else {
                throw Failure.badSource(source)
            }
            folder = drop.appending(source)
            relative = source + "/"
            // The drop folder is setgid: the new folder takes its group, so the daemon may move
            // what lands in it.
            if mkdir(folder.display, 0o2775) == 0 {
                // Group-writable whatever the scraper's umask: the daemon moves files out of it.
                _ = chmod(folder.display, 0o2775)
            } else if errno != EEXIST {
                throw Failure.notWritable(folder.display, String(cString: strerror(errno)))
            }
        }
        let name = uniqueName(extension: ext)
        do {
            try AtomicFile.write(bytes, to: folder.appending(name), mode: Self.mode)
        } catch {
            throw Failure.notWritable(folder.display, "\(error)")
        }
        return relative + name
    }
}
