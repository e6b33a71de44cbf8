import Dispatch
import Glibc
import Logging
import NewsDigest

/// The daemon's first stage: paths the watcher reports or a scan finds go into the bounded
/// ingest queue, and Dispatch workers take them, wait out files still being written, and
/// analyse them. What it owns: the queue, the workers, the scan queue, and which paths came
/// from a scan. An analysed file is handed to `analysed` and counts against `analysedAhead`
/// until the store's owner calls `committed`.
final class Intake: @unchecked Sendable {
    // Every mutable member is its own lock's (IngestQueue, Locked) or is set once before
    // `start` (`analysed`, `rewatch`): nothing here is touched without one.

    /// Files analysed (or being analysed) but not yet committed, at most this many: workers
    /// that run ahead of the store wait, instead of piling up parsed articles in memory while
    /// a flood outruns the commits. 128 (some 20 KB each) kept a 10k-file flood at 62–63 MiB
    /// where 256 peaked at 64–65, at the same flood rate (commit groups stay large enough).
    static let analysedAhead = 128

    let queue: IngestQueue
    private let drop: AbsolutePath
    private let configuration: Locked<Configuration>
    private let logger: Logger
    private let workQueue = DispatchQueue(label: "newsdigest.workers", attributes: .concurrent)
    private let scanQueue = DispatchQueue(label: "newsdigest.scan")
    /// Where paths wait to be offered again (still being written, a folder not listable yet).
    private let timers = DispatchQueue(label: "newsdigest.intake.timers")
    private let ahead = DispatchSemaphore(value: Intake.analysedAhead)

    /// Where analysed files go (the store's owner).
    var analysed: (@Sendable (Analyzed) -> Void)!
    /// Watches a folder again that could not be listed before (the watcher).
    var rewatch: (@Sendable (RelativePath) -> Void)!

    init(drop: AbsolutePath, configuration: Locked<Configuration>, logger: Logger) {
        self.drop = drop
        self.configuration = configuration
        self.logger = logger
        let config = configuration.value
        queue = IngestQueue(capacity: config.queueCapacity, workers: config.workerCount)
    }

    func offer(_ path: RelativePath) {
        switch queue.offer(path) {
        case .queued(let start):
            if start { startWorker() }
        case .alreadyQueued, .closed:
            break
        case .full:
            break  // remembered by the queue: a scan follows once it has room again
        }
    }

    /// Called by the store's owner once `path` is committed: its slot in the queue and its
    /// place among the files analysed ahead are free again.
    func committed(_ path: RelativePath) {
        queue.finished(path)
        ahead.signal()
    }

    func setWorkers(_ n: Int) {
        for _ in 0..<queue.setWorkers(n) { startWorker() }
    }

    /// Takes new files again after `queue.pause()`.
    func resume() {
        for _ in 0..<queue.resume() { startWorker() }
    }

    /// Waits (up to `seconds`) for the workers busy with a file to hand it on.
    func close(waiting seconds: Double) {
        queue.close()
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while queue.busyWorkers > 0 && DispatchTime.now().uptimeNanoseconds < deadline { usleep(2000) }
    }

    /// Returns once every scan asked for so far has queued what it found.
    func waitForScans() {
        scanQueue.sync {}
    }

    private func startWorker() {
        workQueue.async { [self] in
            while true {
                // A place among the files ahead first, then the ticket: see ArrivalOrder.
                ahead.wait()
                guard let taken = queue.take() else {
                    ahead.signal()
                    return
                }
                let result = process(taken.path)
                if result == nil { ahead.signal() }
                order.complete(taken.ticket, with: result) { analysed($0) }
            }
        }
    }

    /// Analysed files go to the store's owner in the order their paths were taken.
    private let order = ArrivalOrder<Analyzed>()

    /// The file analysed, or nil when there is nothing to commit for the path (yet).
    private func process(_ path: RelativePath) -> Analyzed? {
        let absolute = drop.appending(path)
        var st = stat()
        guard absolute.withCString({ lstat($0, &st) }) == 0 else {
            // Moved out or deleted before a worker got to it: not an input any more.
            scanned.mutate { $0[path] = nil }
            queue.finished(path)
            return nil
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            if (st.st_mode & S_IFMT) != S_IFDIR {
                logger.notice("skipped \(path.display): \(DropScanner.notAnInput(st.st_mode))")
            }
            queue.finished(path)
            return nil
        }
        // A file committed already (a second name of it, or a move cut short) is analysed like
        // any other and then found by its identity in the store: counted once, its move finished.
        let entry = DropScanner.Entry(path: path, identity: FileIdentity(st))
        let config = configuration.value
        if !settled(path, entry.identity, config) { return nil }
        if config.quietMilliseconds > 0 {
            let age = entry.identity.millisecondsSinceModified
            if age < config.quietMilliseconds {
                // Still being written to: offered again once it has been quiet long enough.
                offerAgain(path, after: Int(Int64(config.quietMilliseconds) - max(0, age)) + 5)
                return nil
            }
        }
        return Analyzed.analyze(entry, drop: drop, limit: config.maxFileBytes, htmlLimit: config.maxHTMLBytes)
    }

    private func offerAgain(_ path: RelativePath, after milliseconds: Int) {
        queue.finished(path)
        timers.asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { [self] in offer(path) }
    }

    /// Paths found by a scan, with when they were first found (monotonic ns): a scan cannot see
    /// whether a scraper is still writing a file under its final name, so such a file is read
    /// only once it has gone `input.settle_ms` unmodified (or has waited ten times that).
    private let scanned = Locked<[RelativePath: UInt64]>([:])

    /// False when `path` was found by a scan and is still changing: it is offered again later.
    private func settled(_ path: RelativePath, _ identity: FileIdentity, _ config: Configuration) -> Bool {
        guard config.settleMilliseconds > 0, let found = scanned.value[path] else { return true }
        let settle = Int64(config.settleMilliseconds)
        let age = identity.millisecondsSinceModified
        if age < settle {
            let waited = Int64((DispatchTime.now().uptimeNanoseconds &- found) / 1_000_000)
            if waited < settle * Int64(Configuration.settleMaxWaits) {
                offerAgain(path, after: Int(settle - max(0, age)) + 5)
                return false
            }
            logger.notice(
                "\(path.display): still being modified after \(waited / 1000) s (input.settle_ms \(settle)); read as it is now"
            )
        }
        scanned.mutate { $0[path] = nil }
        return true
    }

    /// Lists `folder` (the whole drop folder when nil) and offers every input in it.
    func scan(_ folder: RelativePath?, reason: ScanReason) {
        scanQueue.async { [self] in
            let base = folder.map { drop.appending($0) } ?? drop
            let result: (entries: [DropScanner.Entry], skipped: [DropScanner.Skipped])
            do {
                result = try DropScanner.scan(base)
            } catch {
                // A new folder gone again already; the drop folder itself is the watcher's call.
                logger.debug("scan (\(reason)): \(error)")
                return
            }
            let prefix = folder.map { $0.bytes + [0x2F] } ?? []
            for s in result.skipped {
                let path = RelativePath(bytes: prefix + s.path.bytes)
                if s.unlistableFolder {
                    unlistable(path, reason: s.reason)
                } else if reason == .start {
                    logger.notice("skipped \(path.display): \(s.reason)")
                }
            }
            let now = DispatchTime.now().uptimeNanoseconds
            let settle = configuration.value.settleMilliseconds > 0
            for e in result.entries {
                let path = RelativePath(bytes: prefix + e.path.bytes)
                if settle { scanned.mutate { if $0[path] == nil { $0[path] = now } } }
                offer(path)
            }
        }
    }

    /// Subfolders the daemon may not list (or watch), tried again every 30 s while there are
    /// any: a scraper's folder created with the wrong mode must not hide its files for good.
    private let unlistableFolders = Locked<Set<RelativePath>>([])

    private func unlistable(_ folder: RelativePath, reason: String) {
        let first = unlistableFolders.mutate { set -> (new: Bool, start: Bool) in
            let start = set.isEmpty
            return (set.insert(folder).inserted, start)
        }
        if first.new {
            logger.error(
                "cannot list folder \(folder.display) in the drop folder: \(reason.replacingOccurrences(of: "cannot list folder: ", with: "")); its files wait there, tried again every 30 s"
            )
        }
        if first.start { retryUnlistable() }
    }

    private func retryUnlistable() {
        timers.asyncAfter(deadline: .now() + 30) { [self] in
            let folders = unlistableFolders.value
            var readable: [RelativePath] = []
            for folder in folders {
                let path = drop.appending(folder)
                if let dir = path.withCString({ opendir($0) }) {
                    closedir(dir)
                    readable.append(folder)
                } else if errno == ENOENT {
                    readable.append(folder)  // gone: nothing left to wait for
                }
            }
            let left = unlistableFolders.mutate { set -> Int in
                set.subtract(readable)
                return set.count
            }
            for folder in readable where Directory.isDirectory(drop.appending(folder)) {
                logger.notice("folder \(folder.display) can be listed now: watching and scanning it")
                rewatch(folder)
            }
            if left > 0 { retryUnlistable() }
        }
    }
}
