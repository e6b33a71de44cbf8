import CInotifyTools
import Dispatch
import Foundation
import Glibc

/// The drop folder's watcher: one thread, the only user of libinotifytools. Events are hints
/// and the folder is the truth, so the watcher watches first and then asks for a scan — at
/// start, for every new subfolder, and after every queue overflow. It hands paths off and goes
/// straight back to waiting: any work per event here could let the kernel's queue overflow.
public final class Watcher: @unchecked Sendable {
    public enum Exit: Sendable, Equatable {
        case requested
        /// The drop folder itself was deleted or moved away: the daemon cannot see new files.
        case rootGone
        case failed(String)
    }

    public struct Handlers: Sendable {
        /// A file was closed after writing or moved in (partial names already left out).
        public var file: @Sendable (RelativePath) -> Void
        /// The folder (nil: the whole drop folder) must be listed: events may have been missed.
        public var scan: @Sendable (RelativePath?, ScanReason) -> Void
        public var log: @Sendable (String) -> Void
        public var exited: @Sendable (Exit) -> Void

        public init(
            file: @escaping @Sendable (RelativePath) -> Void,
            scan: @escaping @Sendable (RelativePath?, ScanReason) -> Void,
            log: @escaping @Sendable (String) -> Void, exited: @escaping @Sendable (Exit) -> Void
        ) {
            self.file = file
            self.scan = scan
            self.log = log
            self.exited = exited
        }
    }

    public let root: AbsolutePath
    private let handlers: Handlers
    private let lock = NSLock()
    private var thread: pthread_t?
    private var stopping = false
    private var beat = DispatchTime.now().uptimeNanoseconds

    public init(root: AbsolutePath, handlers: Handlers) {
        self.root = root
        self.handlers = handlers
    }

    /// Seconds since the loop last came round (at most about one while it is healthy).
    public var heartbeatAge: Double {
        let last = lock.withLock { beat }
        return Double(DispatchTime.now().uptimeNanoseconds &- last) / 1e9
    }

    /// Starts the thread and returns once the whole drop folder is watched (and its first scan
    /// asked for), or with the reason it could not be.
    public func start() -> String? {
        let ready = DispatchSemaphore(value: 0)
        let problem = Locked<String?>(nil)
        let thread = Thread { [self] in
            lock.withLock { self.thread = pthread_self() }
            loop(ready: ready, problem: problem)
        }
        thread.name = "newsdigest-watcher"
        thread.stackSize = 1 << 20
        thread.start()
        ready.wait()
        return problem.value
    }

    /// Asks the loop to end and wakes it at once (SIGUSR1 interrupts its wait).
    public func stop() {
        lock.withLock {
            stopping = true
            if let thread { pthread_kill(thread, SIGUSR1) }
        }
    }

    private var shouldStop: Bool { lock.withLock { stopping } }

    private var rewatchRequests: [RelativePath] = []

    /// Watches a subfolder that could not be watched before (it was not readable), then asks
    /// for its scan. Done on the watcher's thread within a second.
    public func rewatch(_ folder: RelativePath) {
        lock.withLock { rewatchRequests.append(folder) }
    }

    private func loop(ready: DispatchSemaphore, problem: Locked<String?>) {
        let tools: InotifyTools
        let rootSlash = root.bytes + [0x2F]
        do {
            tools = try InotifyTools()
            try tools.watchRecursively(rootSlash)
        } catch {
            problem.value = error.description
            ready.signal()
            handlers.exited(.failed(error.description))
            return
        }
        handlers.scan(nil, .start)
        ready.signal()
        /// A folder that left its place (IN_MOVED_FROM): renamed if the next event is its
        /// IN_MOVED_TO, moved out of the drop folder otherwise.
        var leaving: (cookie: UInt32, path: [UInt8])?
        var departed = 0
        func departedNowhere() {
            guard let gone = leaving else { return }
            leaving = nil
            // Its watches (and those below it) are dropped: nothing in it is taken any more, and
            // moved back in, it is watched afresh under the path it then has.
            departed += 1
            let away = Array("/.newsdigest-moved-out/\(departed)/".utf8)
            tools.rename(gone.path, to: away)
            tools.removeWatches(under: away)
        }
        while !shouldStop {
            let requests = lock.withLock {
                beat = DispatchTime.now().uptimeNanoseconds
                defer { rewatchRequests = [] }
                return rewatchRequests
            }
            for folder in requests {
                do {
                    try tools.watchRecursively(rootSlash + folder.bytes + [0x2F])
                } catch {
                    handlers.log("cannot watch folder \(folder.display): \(error)")
                }
                handlers.scan(folder, .readableAgain)
            }
            guard let event = tools.next(timeout: 1) else {
                departedNowhere()
                continue
            }
            if event.wd < 0 || event.has(IN_Q_OVERFLOW) {
                handlers.log("inotify queue overflowed (fs.inotify.max_queued_events): rescanning the drop folder")
                handlers.scan(nil, .overflow)
                continue
            }
            guard let folder = event.folder else { continue }
            if folder == rootSlash && (event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) || event.has(IN_IGNORED)) {
                handlers.exited(.rootGone)
                return
            }
            guard !event.name.isEmpty, folder.starts(with: rootSlash) else { continue }
            if DropScanner.isPartialName(event.name) { continue }
            let relative = RelativePath(bytes: Array(folder.dropFirst(rootSlash.count)) + event.name)
            if event.has(IN_ISDIR) && event.has(IN_MOVED_TO), let from = leaving, from.cookie == event.cookie {
                // Renamed inside the drop folder: its watches take the new path, then it is
                // listed (files written in the moment between are found there).
                leaving = nil
                tools.rename(from.path, to: folder + event.name + [0x2F])
                handlers.scan(relative, .folderRenamed)
                continue
            }
            departedNowhere()
            if event.has(IN_ISDIR) && event.has(IN_MOVED_FROM) {
                leaving = (event.cookie, folder + event.name + [0x2F])
                continue
            }
            if event.has(IN_ISDIR) {
                guard event.has(IN_CREATE) || event.has(IN_MOVED_TO) else { continue }
                // Watch first, then scan: files written before the watch existed are found by
                // the scan, files written after it by their events (a few by both; the queue
                // takes a path once).
                do {
                    try tools.watchRecursively(folder + event.name + [0x2F])
                } catch {
                    handlers.log("cannot watch new folder \(relative.display): \(error); rescanning later")
                }
                handlers.scan(relative, .newFolder)
            } else if event.has(IN_CLOSE_WRITE) || event.has(IN_MOVED_TO) {
                handlers.file(relative)
            }
        }
        handlers.exited(.requested)
    }
}
