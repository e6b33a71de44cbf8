import Dispatch
import Foundation
import Glibc
import Logging
import NewsDigest

/// `newsdigest run`: the watching daemon. Data flows one way —
/// watcher → ingest queue → worker pool → store (one serial owner) → digest writer — and each
/// stage runs on threads of its own: the watcher's thread, Dispatch's worker queue, the store's
/// serial queue, the writer's serial queue, and a control queue for signals and systemd.
public final class Daemon: @unchecked Sendable {
    public struct Options: Sendable {
        public var drop: AbsolutePath
        public var state: AbsolutePath
        public var digests: AbsolutePath
        /// The file SIGHUP re-reads; nil when the daemon runs on defaults and flags.
        public var configPath: String?
        public var configuration: Configuration
        public var environment: [String: String]

        public init(
            drop: AbsolutePath, state: AbsolutePath, digests: AbsolutePath, configPath: String?,
            configuration: Configuration, environment: [String: String]
        ) {
            self.drop = drop
            self.state = state
            self.digests = digests
            self.configPath = configPath
            self.configuration = configuration
            self.environment = environment
        }
    }

    /// Exit statuses, as sysexits(3) names them; systemd's RestartPreventExitStatus= uses them.
    public enum ExitStatus {
        public static let ok: Int32 = 0
        public static let config: Int32 = 78  // EX_CONFIG
        public static let dataError: Int32 = 65  // EX_DATAERR: the state database is damaged or newer
        public static let noInput: Int32 = 66  // EX_NOINPUT: the drop folder is gone or unusable
        public static let software: Int32 = 70  // EX_SOFTWARE: the watcher failed
        public static let ioError: Int32 = 74  // EX_IOERR: the store or a folder failed
    }

    private let options: Options
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let clock: DayClock
    private let configuration: Locked<Configuration>

    private let storeQueue = DispatchQueue(label: "newsdigest.store")
    private let workQueue = DispatchQueue(label: "newsdigest.workers", attributes: .concurrent)
    private let scanQueue = DispatchQueue(label: "newsdigest.scan")
    private let controlQueue = DispatchQueue(label: "newsdigest.control")

    /// Touched only on `storeQueue`.
    private var committer: Committer!
    private var writer: DigestWriter!
    private var watcher: Watcher!
    private let queue: IngestQueue
    private let results = Locked<(items: [Analyzed], scheduled: Bool)>(([], false))
    /// Files analysed (or being analysed) but not yet committed, at most this many: workers
    /// that run ahead of the store wait, instead of piling up parsed articles in memory while
    /// a flood outruns the commits.
    static let analysedAhead = 256
    private let ahead = DispatchSemaphore(value: Daemon.analysedAhead)
    private let totals = Locked(Committer.Report())
    private let exit = Locked<Int32?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    private var watchdog: (any DispatchSourceTimer)?

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        notifier = SystemdNotifier(environment: options.environment)
        clock = DayClock(timeZone: options.configuration.resolvedTimeZone())
        configuration = Locked(options.configuration)
        queue = IngestQueue(
            capacity: options.configuration.queueCapacity, workers: options.configuration.workerCount)
    }

    /// Runs until SIGTERM or SIGINT (returns 0) or a failure it cannot work around (non-zero).
    public func run() -> Int32 {
        let config = configuration.value
        guard Directory.isDirectory(options.drop) else {
            logger.error("drop folder \(options.drop.display): not a folder (or missing)")
            return ExitStatus.noInput
        }
        for (name, path) in [("state", options.state), ("digests", options.digests)]
        where path.bytes.starts(with: options.drop.bytes + [0x2F]) || path == options.drop {
            logger.error(
                "\(name) folder \(path.display) is inside the drop folder \(options.drop.display): its files would be taken as inputs"
            )
            return ExitStatus.config
        }
        let articles: StoreReader
        let renderings: StoreRenderings
        do {
            try Directory.create(options.digests)
            articles = try storeQueue.sync {
                committer = try Committer(
                    settings: Committer.Settings(
                        drop: options.drop, state: options.state, afterIngest: config.afterIngest,
                        grouping: config.grouping, workers: config.workerCount),
                    logger: logger,
                    upgradeProgress: { [notifier] done in
                        // Each day upgraded buys two more minutes of systemd's start timeout.
                        notifier.send("EXTEND_TIMEOUT_USEC=120000000\nSTATUS=upgrading the store: \(done) done")
                    })
                return try committer.store.reader()
            }
            // Renderings are saved on the store's queue, like every other write.
            renderings = try storeQueue.sync {
                try committer.store.renderings { [self] day, stories, removed in
                    try storeQueue.sync { try committer.store.saveRenderings(day: day, stories, removed: removed) }
                }
            }
        } catch let error as StoreError {
            logger.critical("\(error)")
            return ExitStatus.dataError
        } catch {
            logger.error("\(error)")
            return ExitStatus.ioError
        }

        writer = DigestWriter(
            folder: options.digests,
            settings: DigestWriter.Settings(config),
            source: DigestWriter.Source(
                snapshot: { [self] day in
                    try storeQueue.sync { (try committer.dayState(day).view, committer.lastSequence) }
                },
                articles: articles,
                renderings: renderings,
                written: { [self] day, seq in
                    storeQueue.async { [self] in try? committer.store.markWritten(day: day, through: seq) }
                }),
            syslog: Syslog(), logger: logger)
        writer.didWrite = { [self] counts, _ in
            notifier.send(
                "STATUS=\(clock.day()): \(counts.stories) stories, \(counts.articles) articles, "
                    + "\(counts.exactDuplicates) exact, \(counts.rejected) rejected; \(queue.count) in the queue")
        }

        watcher = Watcher(
            root: options.drop,
            handlers: Watcher.Handlers(
                file: { [self] path in offer(path) },
                scan: { [self] folder, reason in scan(folder, reason: reason) },
                log: { [self] message in logger.warning("\(message)") },
                exited: { [self] how in controlQueue.async { [self] in watcherExited(how) } }))

        Signals.startWaiting { [self] signal in
            controlQueue.async { [self] in handle(signal) }
        }
        if let problem = watcher.start() {
            logger.error("cannot watch the drop folder: \(problem)")
            return ExitStatus.noInput
        }
        scanQueue.sync {}  // the start-up scan has queued everything already in the folder
        let stale = storeQueue.sync { (try? committer.store.staleDays()) ?? [] }
        writer.markDirty(Set(stale).union([clock.day()]))
        writer.scheduleMidnights(clock: clock)
        startWatchdog()
        logger.info(
            """
            watching \(options.drop.display) with \(config.workerCount) worker(s); state in \
            \(options.state.display), digests in \(options.digests.display); \(queue.count) file(s) waiting
            """)
        notifier.send("READY=1\nSTATUS=watching \(options.drop.display)")

        finished.wait()
        storeQueue.sync {
            do {
                try committer.store.checkpoint()
            } catch {
                logger.warning("store: \(error) at the last checkpoint; the next start checks the whole file")
            }
        }
        return exit.value ?? ExitStatus.ok
    }

    // MARK: Watcher → queue → workers

    private func offer(_ path: RelativePath) {
        switch queue.offer(path) {
        case .queued(let start):
            if start { startWorker() }
        case .alreadyQueued, .closed:
            break
        case .full:
            break  // remembered by the queue: a scan follows once it has room again
        }
    }

    private func startWorker() {
        workQueue.async { [self] in
            while let path = queue.take() { process(path) }
        }
    }

    private func process(_ path: RelativePath) {
        let absolute = options.drop.appending(path)
        var st = stat()
        guard absolute.withCString({ lstat($0, &st) }) == 0 else {
            // Moved out or deleted before a worker got to it: not an input any more.
            scanned.mutate { $0[path] = nil }
            queue.finished(path)
            return
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            if (st.st_mode & S_IFMT) != S_IFDIR {
                logger.notice("skipped \(path.display): \(DropScanner.notAnInput(st.st_mode))")
            }
            queue.finished(path)
            return
        }
        // A file committed already (a second name of it, or a move cut short) is analysed like
        // any other and then found by its identity in the store: counted once, its move finished.
        let entry = DropScanner.Entry(path: path, identity: FileIdentity(st))
        let config = configuration.value
        if !settled(path, entry.identity, config) { return }
        if config.quietMilliseconds > 0 {
            let age = entry.identity.millisecondsSinceModified
            if age < config.quietMilliseconds {
                // Still being written to: offered again once it has been quiet long enough.
                queue.finished(path)
                let wait = Int(Int64(config.quietMilliseconds) - max(0, age)) + 5
                controlQueue.asyncAfter(deadline: .now() + .milliseconds(wait)) { [self] in offer(path) }
                return
            }
        }
        ahead.wait()
        submit(Analyzed.analyze(entry, drop: options.drop, limit: config.maxFileBytes))
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
                queue.finished(path)
                let wait = Int(settle - max(0, age)) + 5
                controlQueue.asyncAfter(deadline: .now() + .milliseconds(wait)) { [self] in offer(path) }
                return false
            }
            logger.notice(
                "\(path.display): still being modified after \(waited / 1000) s (input.settle_ms \(settle)); read as it is now"
            )
        }
        scanned.mutate { $0[path] = nil }
        return true
    }

    private func scan(_ folder: RelativePath?, reason: String) {
        scanQueue.async { [self] in
            let base = folder.map { options.drop.appending($0) } ?? options.drop
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
                } else if reason == "start" {
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
        controlQueue.asyncAfter(deadline: .now() + 30) { [self] in
            let folders = unlistableFolders.value
            var readable: [RelativePath] = []
            for folder in folders {
                let path = options.drop.appending(folder)
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
            for folder in readable where Directory.isDirectory(options.drop.appending(folder)) {
                logger.notice("folder \(folder.display) can be listed now: watching and scanning it")
                watcher.rewatch(folder)
            }
            if left > 0 { retryUnlistable() }
        }
    }

    // MARK: Store

    private func submit(_ item: Analyzed) {
        let schedule = results.mutate { r -> Bool in
            r.items.append(item)
            if r.scheduled { return false }
            r.scheduled = true
            return true
        }
        if schedule { storeQueue.async { [self] in drain() } }
    }

    /// One group commit of everything the workers finished since the last one: under load the
    /// groups grow by themselves, at rest each file commits at once.
    private func drain() {
        let group = results.mutate { r -> [Analyzed] in
            let items = r.items
            r.items = []
            r.scheduled = false
            return items
        }
        guard !group.isEmpty else { return }
        if hold != nil {
            held += group
            return
        }
        _ = commitOrHold(group)
    }

    /// Touched only on `storeQueue`: while the store refuses writes, the analyzed files it
    /// refused wait here (and in the drop folder) and no new work is handed out.
    private struct Hold {
        var since = DispatchTime.now().uptimeNanoseconds
        var backoff = Backoff.store
        var diskFull: Bool
        var lastLog = DispatchTime.now().uptimeNanoseconds
    }
    private var hold: Hold?
    private var held: [Analyzed] = []

    /// Commits the group, or when the store refuses it, holds it and retries later.
    private func commitOrHold(_ group: [Analyzed]) -> Bool {
        let report: Committer.Report
        do {
            report = try committer.commit(group, day: clock.day())
        } catch let error as Committer.NotStored {
            held = group
            if hold == nil {
                hold = Hold(diskFull: error.diskFull)
                queue.pause()
                logger.error(
                    """
                    store: cannot write \(committer.store.path.display): \(error); not taking new files until it \
                    can: \(group.count) analyzed and \(queue.count - group.count) more file(s) wait in the drop folder, \
                    nothing is lost; trying again in a few seconds
                    """)
                notifier.send(
                    "STATUS=store not writable (\(error.diskFull ? "disk full" : "write error")): holding files")
            }
            hold?.diskFull = error.diskFull
            retryLater()
            return false
        } catch {
            logger.error("store: \(error); stopping")
            controlQueue.async { [self] in shutdown(ExitStatus.ioError) }
            return false
        }
        for item in group {
            queue.finished(item.entry.path)
            ahead.signal()
        }
        totals.mutate { $0.add(report) }
        writer.markDirty(report.days)
        if queue.takeRescanDue() { scan(nil, reason: "queue had been full") }
        if !committer.unmoved.isEmpty && !moveRetryScheduled {
            moveBackoff.reset()
            retryMovesLater()
        }
        return true
    }

    /// Touched only on `storeQueue`: set while a retry of failed moves is scheduled.
    private var moveRetryScheduled = false
    private var moveBackoff = Backoff.moves

    private func retryMovesLater() {
        moveRetryScheduled = true
        storeQueue.asyncAfter(deadline: .now() + moveBackoff.next()) { [self] in
            if committer.retryUnmoved() == 0 {
                moveRetryScheduled = false
            } else {
                retryMovesLater()
            }
        }
    }

    private func retryLater() {
        guard var h = hold else { return }
        let delay = h.backoff.next()
        hold = h
        storeQueue.asyncAfter(deadline: .now() + delay) { [self] in retryHeld() }
    }

    /// Free space is looked at first when the disk was full: a commit that fails again costs
    /// a replay of the ledger, a look at statvfs costs nothing.
    private func retryHeld() {
        guard let h = hold else { return }
        let group =
            held
            + results.mutate { r -> [Analyzed] in
                let items = r.items
                r.items = []
                r.scheduled = false
                return items
            }
        held = []
        let now = DispatchTime.now().uptimeNanoseconds
        if h.diskFull, let free = committer.store.freeBytes(), free < 1 << 20 {
            held = group
            if now - h.lastLog > 60_000_000_000 {
                hold?.lastLog = now
                logger.warning(
                    "store: still no space on \(committer.store.path.parent.display) (\(free / 1024) KiB free): \(group.count) file(s) held"
                )
            }
            retryLater()
            return
        }
        guard commitOrHold(group) else { return }
        let seconds = Double(now - h.since) / 1e9
        hold = nil
        logger.notice(
            "store: writable again after \(String(format: "%.1f", seconds)) s; \(group.count) held file(s) committed, taking new files again"
        )
        notifier.send("STATUS=watching \(options.drop.display)")
        for _ in 0..<queue.resume() { startWorker() }
        // Events refused while the queue was full are only found by listing the folder.
        scan(nil, reason: "store writable again")
    }

    // MARK: Control

    private func handle(_ signal: Int32) {
        switch signal {
        case SIGHUP: reload()
        default:
            logger.info("signal \(signal): finishing the files in hand, then stopping")
            shutdown(ExitStatus.ok)
        }
    }

    private func reload() {
        notifier.send("RELOADING=1")
        defer { notifier.send("READY=1") }
        guard let path = options.configPath else {
            logger.notice("SIGHUP: no config file was given (--config), nothing to re-read")
            return
        }
        let fresh: Configuration
        do {
            fresh = try ConfigurationFile.load(path: path)
        } catch {
            logger.error("SIGHUP: \(path) not loaded, the running configuration stays:\n\(error)")
            return
        }
        let old = configuration.value
        var needRestart: [String] = []
        if fresh.drop != old.drop || fresh.state != old.state || fresh.digests != old.digests {
            needRestart.append("paths")
        }
        if fresh.timeZone != old.timeZone { needRestart.append("digest.timezone") }
        if fresh.grouping != old.grouping { needRestart.append("grouping") }
        if fresh.queueCapacity != old.queueCapacity { needRestart.append("daemon.queue_capacity") }
        var applied = fresh
        applied.drop = old.drop
        applied.state = old.state
        applied.digests = old.digests
        applied.timeZone = old.timeZone
        applied.grouping = old.grouping
        applied.queueCapacity = old.queueCapacity
        configuration.value = applied
        for _ in 0..<queue.setWorkers(applied.workerCount) { startWorker() }
        let afterIngest = applied.afterIngest
        storeQueue.async { [self] in committer.settings.afterIngest = afterIngest }
        writer.settings.value = DigestWriter.Settings(applied)
        logger.info(
            "SIGHUP: re-read \(path)\(needRestart.isEmpty ? "" : "; changes to \(needRestart.joined(separator: ", ")) take effect at the next start")"
        )
    }

    private func watcherExited(_ how: Watcher.Exit) {
        switch how {
        case .requested: return
        case .rootGone:
            logger.error("the drop folder \(options.drop.display) was deleted or moved away: stopping")
            shutdown(ExitStatus.noInput)
        case .failed(let why):
            logger.error("watcher failed: \(why); stopping")
            shutdown(ExitStatus.software)
        }
    }

    private var stopping = false

    /// Finishes the files in hand, commits them, writes the changed digests, and lets `run`
    /// return. Files still waiting stay in the drop folder: the next start's scan takes them.
    private func shutdown(_ status: Int32) {
        guard !stopping else { return }
        stopping = true
        notifier.send("STOPPING=1")
        watchdog?.cancel()
        watcher.stop()
        queue.close()
        let deadline = DispatchTime.now().uptimeNanoseconds + 1_500_000_000
        while queue.busyWorkers > 0 && DispatchTime.now().uptimeNanoseconds < deadline { usleep(2000) }
        storeQueue.sync {
            drain()
            if hold != nil {
                logger.warning(
                    "\(held.count) analyzed file(s) not committed (the store is not writable): they stay in the drop folder for the next start"
                )
            }
        }
        writer.flush()
        storeQueue.sync {}
        let t = totals.value
        logger.info(
            "stopped: \(t.files) file(s) committed since start (\(t.articles) articles, \(t.nearDuplicates) near, \(t.exactDuplicates) exact, \(t.rejected) rejected)"
        )
        exit.value = status
        finished.signal()
    }

    /// WATCHDOG=1 at half the interval systemd set, and only while the watcher's loop is
    /// coming round: a wedged watcher must look wedged to systemd.
    private func startWatchdog() {
        guard let interval = notifier.watchdogInterval else { return }
        let timer = DispatchSource.makeTimerSource(queue: controlQueue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [self] in
            let age = watcher.heartbeatAge
            if age < max(3, interval) {
                notifier.send("WATCHDOG=1")
            } else {
                logger.warning("watcher loop silent for \(Int(age)) s: not pinging the watchdog")
            }
        }
        timer.resume()
        watchdog = timer
    }
}
