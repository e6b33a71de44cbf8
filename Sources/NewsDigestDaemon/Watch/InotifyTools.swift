import CInotifyTools
import Glibc

/// libinotifytools, wrapped: typed errors, Swift values out, nothing kept past the next call.
/// The library keeps process-global state (one inotify descriptor, a static event buffer), so
/// only the watcher thread may use it, and only one watcher may exist in a process.
final class InotifyTools {
    struct Failure: Error, CustomStringConvertible {
        let operation: String
        let path: String?
        let code: Int32
        var description: String {
            "\(operation)\(path.map { " \($0)" } ?? ""): \(String(cString: strerror(code)))"
        }
    }

    /// One event, copied out of the library's buffer.
    struct Event {
        let wd: Int32
        let mask: UInt32
        /// Pairs the two halves of a rename (IN_MOVED_FROM, IN_MOVED_TO).
        let cookie: UInt32
        /// The watched folder's path, with a trailing slash; nil for a queue overflow.
        let folder: [UInt8]?
        let name: [UInt8]

        func has(_ flag: Int32) -> Bool { mask & UInt32(bitPattern: flag) != 0 }
    }

    /// What the watcher listens for. IN_CREATE only matters for folders, but inotify cannot ask
    /// for it per type; it doubles the events per file (see the sysctl drop-in).
    /// IN_MOVED_FROM is for folders: a watched folder renamed or moved away.
    static let mask: Int32 = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF

    init() throws(Failure) {
        // Before the process opens many descriptors: the library's select() cannot wait on a
        // descriptor numbered 1024 or above.
        guard inotifytools_initialize() != 0 else {
            throw Failure(operation: "inotify init", path: nil, code: inotifytools_error())
        }
    }

    deinit { inotifytools_cleanup() }

    /// Watches `path` and every folder below it. The walk fails as a whole when an entry
    /// vanishes under it (ENOENT): a scraper moving files out mid-walk. Tried again then.
    func watchRecursively(_ path: [UInt8]) throws(Failure) {
        var attempt = 0
        while true {
            let ok = AbsolutePath(bytes: path).withCString { inotifytools_watch_recursively($0, Self.mask) }
            if ok != 0 { return }
            let code = inotifytools_error()
            attempt += 1
            if code != ENOENT || attempt >= 20 {
                throw Failure(operation: "watch", path: RelativePath(bytes: path).display, code: code)
            }
        }
    }

    /// Renames every watch whose path starts with `old` (both with a trailing slash): the
    /// library keeps each watch under the path it had when made, and a renamed folder (with
    /// the folders below it) would go on being reported under its old name.
    func rename(_ old: [UInt8], to new: [UInt8]) {
        AbsolutePath(bytes: old).withCString { o in
            AbsolutePath(bytes: new).withCString { n in inotifytools_replace_filename(o, n) }
        }
    }

    /// Drops every watch whose path starts with `prefix`: the library has no call for a folder
    /// and the folders below it, so the watches are walked by number (the kernel gives them out
    /// counting up, and the library keeps every one it made).
    func removeWatches(under prefix: [UInt8]) {
        let total = Int(inotifytools_get_num_watches())
        var found = 0
        var wd: Int32 = 1
        while found < total && Int(wd) <= 4 * total + 1024 {
            defer { wd += 1 }
            guard let name = inotifytools_filename_from_wd(wd) else { continue }
            found += 1
            if Self.bytes(name).starts(with: prefix) { inotifytools_remove_watch_by_wd(wd) }
        }
    }

    /// Waits up to `seconds` (whole seconds) for one event. Nil on timeout or when a signal
    /// interrupted the wait.
    func next(timeout seconds: Int) -> Event? {
        // n = 1 always: with more, 3.22.6 spins on the CPU and ignores the timeout.
        guard let event = inotifytools_next_events(seconds, 1) else { return nil }
        let name = newsdigest_inotify_event_name(event).map(Self.bytes) ?? []
        let folder = event.pointee.wd >= 0 ? inotifytools_filename_from_wd(event.pointee.wd).map(Self.bytes) : nil
        return Event(
            wd: event.pointee.wd, mask: event.pointee.mask, cookie: event.pointee.cookie, folder: folder, name: name)
    }

    private static func bytes(_ c: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: c, count: strlen(c)))
    }
}
