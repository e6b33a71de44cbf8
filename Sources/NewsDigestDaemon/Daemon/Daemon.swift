import Dispatch
import Foundation
import Glibc
import Logging
import NewsDigest

/// `newsdigest run`: the watching daemon. Data flows one way, each stage with one owner:
/// the watcher (its own thread) → `Intake` (ingest queue, scans, worker pool) → `CommitLoop`
/// (the store, on its serial queue) → `DigestWriter` (its serial queue). What is left here is
/// the wiring, and control: signals, SIGHUP reloads, the systemd watchdog, shutdown, all on
/// `controlQueue`.
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

    private let options: Options
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let clock: DayClock
    private let configuration: Locked<Configuration>

    private let controlQueue = DispatchQueue(label: "newsdigest.control")

    private let intake: Intake
    private let commits: CommitLoop
    private let metrics = DaemonMetrics()
    /// Set in `run` when `metrics.textfile` names a file, then only read.
    private var metricsFile: MetricsFile?
    /// Set in `run` before anything can call on them, then only read.
    private var writer: DigestWriter!
    private var watcher: Watcher!
    private let exit = Locked<ExitStatus?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    /// Touched on `controlQueue` only.
    private var watchdog: (any DispatchSourceTimer)?
    private var stopping = false

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        notifier = SystemdNotifier(environment: options.environment)
        clock = DayClock(timeZone: options.configuration.resolvedTimeZone())
        configuration = Locked(options.configuration)
        intake = Intake(drop: options.drop, configuration: configuration, logger: logger)
        commits = CommitLoop(
            intake: intake, metrics: metrics, clock: clock, logger: logger, notifier: notifier,
            watching: "STATUS=watching \(options.drop.display)")
    }

    /// Runs until SIGTERM or SIGINT (returns `.ok`) or a failure it cannot work around.
    public func run() -> ExitStatus {
        let config = configuration.value
        guard Directory.isDirectory(options.drop) else {
            logger.error("drop folder \(options.drop.display): not a folder (or missing)")
            return .noInput
        }
        for (name, path) in [("state", options.state), ("digests", options.digests)]
        where path.bytes.starts(with: options.drop.bytes + [0x2F]) || path == options.drop {
            logger.error(
                "\(name) folder \(path.display) is inside the drop folder \(options.drop.display): its files would be taken as inputs"
            )
            return .config
        }
        let source: DigestWriter.Source
        let publishing: DigestFiles.Publishing
        do {
            try Directory.create(options.digests)
            let (articles, renderings) = try commits.open(
                Committer.Settings(
                    drop: options.drop, state: options.state, afterIngest: config.afterIngest,
                    grouping: config.grouping, workers: config.workerCount, limits: config.inputLimits))
            source = commits.digestSource(articles: articles, renderings: renderings)
            publishing = try commits.publishing(config, state: options.state)
        } catch let error as StoreError {
            logger.critical("\(error)")
            return .dataError
        } catch {
            logger.error("\(error)")
            return .ioError
        }

        writer = DigestWriter(
            folder: options.digests, settings: DigestWriter.Settings(config), publishing: publishing, source: source,
            syslog: Syslog(),
            logger: logger)
        if !config.metricsTextfile.isEmpty {
            let storePath = options.state.appending(Store.fileName)
            let started = Date().timeIntervalSince1970
            metricsFile = MetricsFile(
                path: AbsolutePath(config.metricsTextfile), metrics: metrics, logger: logger,
                live: { [intake] in
                    MetricsText.Live(
                        queueDepth: intake.queue.count, oldestWaitSeconds: intake.queue.oldestWait(),
                        storeBytes: MetricsFile.storeBytes(storePath), startTime: started)
                })
        }
        writer.didFail = { [self] in
            metrics.digestFailed()
            metricsFile?.changed()
        }
        writer.didWrite = { [self] counts, seconds in
            metrics.digestWritten(seconds: seconds, at: Date().timeIntervalSince1970)
            metricsFile?.writeNow()
            notifier.send(
                "STATUS=\(clock.day()): \(counts.stories) stories, \(counts.articles) articles, "
                    + "\(counts.exactDuplicates) exact, \(counts.rejected) rejected; \(intake.queue.count) in the queue"
            )
        }
        commits.changed = { [self] days in
            writer.markDirty(days)
            metricsFile?.changed()
        }
        commits.failed = { [self] status in controlQueue.async { [self] in shutdown(status) } }
        intake.analysed = { [commits] item in commits.submit(item) }

        watcher = Watcher(
            root: options.drop,
            handlers: Watcher.Handlers(
                file: { [intake] path in intake.offer(path) },
                scan: { [intake, metrics] folder, reason in
                    if reason == .overflow { metrics.inotifyOverflowed() }
                    intake.scan(folder, reason: reason)
                },
                log: { [self] message in logger.warning("\(message)") },
                exited: { [self] how in controlQueue.async { [self] in watcherExited(how) } }))
        intake.rewatch = { [watcher] folder in watcher!.rewatch(folder) }

        Signals.startWaiting { [self] signal in
            controlQueue.async { [self] in handle(signal) }
        }
        if let problem = watcher.start() {
            logger.error("cannot watch the drop folder: \(problem)")
            return .noInput
        }
        intake.waitForScans()  // the start-up scan has queued everything already in the folder
        writer.markDirty(Set(commits.staleDays()).union([clock.day()]))
        writer.scheduleMidnights(clock: clock)
        controlQueue.sync { startWatchdog() }
        logger.info(
            """
            watching \(options.drop.display) with \(config.workerCount) worker(s); state in \
            \(options.state.display), digests in \(options.digests.display); \(intake.queue.count) file(s) waiting
            """)
        metricsFile?.writeNow()
        notifier.send("READY=1\nSTATUS=watching \(options.drop.display)")

        finished.wait()
        commits.checkpoint()
        return exit.value ?? .ok
    }

    // MARK: Control

    private func handle(_ signal: Int32) {
        switch signal {
        case SIGHUP: reload()
        default:
            logger.info("signal \(signal): finishing the files in hand, then stopping")
            shutdown(.ok)
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
        if fresh.metricsTextfile != old.metricsTextfile { needRestart.append("metrics.textfile") }
        if fresh.baseURL != old.baseURL || fresh.feedAuthority != old.feedAuthority || fresh.feedDays != old.feedDays
            || fresh.keepDays != old.keepDays
        {
            needRestart.append("digest.base_url, feed_authority, feed_days, keep_days")
        }
        var applied = fresh
        applied.drop = old.drop
        applied.state = old.state
        applied.digests = old.digests
        applied.timeZone = old.timeZone
        applied.grouping = old.grouping
        applied.queueCapacity = old.queueCapacity
        applied.metricsTextfile = old.metricsTextfile
        configuration.value = applied
        intake.setWorkers(applied.workerCount)
        commits.setAfterIngest(applied.afterIngest)
        commits.setInputLimits(applied.inputLimits)
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
            shutdown(.noInput)
        case .failed(let why):
            logger.error("watcher failed: \(why); stopping")
            shutdown(.software)
        }
    }

    /// Finishes the files in hand, commits them, writes the changed digests, and lets `run`
    /// return. Files still waiting stay in the drop folder: the next start's scan takes them.
    private func shutdown(_ status: ExitStatus) {
        guard !stopping else { return }
        stopping = true
        notifier.send("STOPPING=1")
        watchdog?.cancel()
        watcher.stop()
        commits.stopReadingBatches()
        intake.close(waiting: 1.5)
        commits.finish()
        writer.flush()
        commits.queue.sync {}  // the digest writes' last store writes
        let t = commits.totals.value
        logger.info(
            "stopped: \(t.files) file(s) committed since start (\(t.articles) articles, \(t.nearDuplicates) near, \(t.exactDuplicates) exact, \(t.rejected) rejected)"
        )
        metricsFile?.writeNow()
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
