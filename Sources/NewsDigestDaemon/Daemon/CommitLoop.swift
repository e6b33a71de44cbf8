import Dispatch
import Logging
import NewsDigest

/// The daemon's store stage: the one owner of the store. Analysed files are committed in
/// groups (under load the groups grow by themselves, at rest each file commits at once); while
/// the store refuses writes (a full disk), the refused files are held, intake is paused, and
/// the commit is tried again with back-off; moves that failed are retried the same way. Every
/// member below is touched on `queue` only, except `pending` and `totals` (their own locks).
final class CommitLoop: @unchecked Sendable {
    let queue = DispatchQueue(label: "newsdigest.store")
    /// Set once in `open`, then touched on `queue` only.
    private(set) var committer: Committer!
    private let intake: Intake
    private let metrics: DaemonMetrics
    private let clock: DayClock
    private let logger: Logger
    private let notifier: SystemdNotifier
    /// The systemd status line while all is well.
    private let watching: String
    /// Where committed days are reported (the digest writer), set once before the first file.
    var changed: (@Sendable (Set<String>) -> Void)!
    /// Called when the store fails in a way a retry cannot mend: the daemon stops with it.
    var failed: (@Sendable (ExitStatus) -> Void)!

    private let pending = Locked<(items: [Analyzed], scheduled: Bool)>(([], false))
    /// The committer's flag, kept here to be set from the control queue (`stopReadingBatches`).
    private var stopFlag = Locked(false)
    let totals = Locked(Committer.Report())

    init(
        intake: Intake, metrics: DaemonMetrics, clock: DayClock, logger: Logger, notifier: SystemdNotifier,
        watching: String
    ) {
        self.intake = intake
        self.metrics = metrics
        self.watching = watching
        self.clock = clock
        self.logger = logger
        self.notifier = notifier
    }

    /// Opens (and if need be upgrades) the store; returns what the digest writer reads it by.
    func open(_ settings: Committer.Settings) throws -> (StoreReader, StoreRenderings) {
        try queue.sync {
            committer = try Committer(
                settings: settings, logger: logger,
                upgradeProgress: { [notifier] done in
                    // Each day upgraded buys two more minutes of systemd's start timeout.
                    notifier.send("EXTEND_TIMEOUT_USEC=120000000\nSTATUS=upgrading the store: \(done) done")
                })
            stopFlag = committer.stopReadingBatches
            // Renderings are saved on this queue, like every other write.
            let renderings = try committer.store.renderings(
                save: { [self] day, stories, removed in
                    try queue.sync { try committer.store.saveRenderings(day: day, stories, removed: removed) }
                },
                savePage: { [self] page in try queue.sync { try committer.store.savePage(page) } },
                forgetPages: { [self] day in try queue.sync { try committer.store.forgetPages(before: day) } },
                saveThreads: { [self] threads, now in
                    try queue.sync { try committer.store.saveFeedThreads(threads, now: now) }
                })
            return (try committer.store.reader(), renderings)
        }
    }

    /// What the digest writer needs of the store, each call run on `queue`.
    func digestSource(articles: StoreReader, renderings: StoreRenderings) -> DigestWriter.Source {
        DigestWriter.Source(
            snapshot: { [self] day in
                try queue.sync { (try committer.view(day), committer.lastSequence) }
            },
            articles: articles, renderings: renderings,
            written: { [self] day, seq in
                queue.async { [self] in try? committer.store.markWritten(day: day, through: seq) }
            })
    }

    func publishing(_ config: Configuration, state: AbsolutePath) throws -> DigestFiles.Publishing {
        try queue.sync { try config.publishing(store: committer.store, today: clock.day(), state: state) }
    }

    func staleDays() -> [String] {
        queue.sync { (try? committer.store.staleDays()) ?? [] }
    }

    func setAfterIngest(_ afterIngest: Configuration.AfterIngest) {
        queue.async { [self] in committer.settings.afterIngest = afterIngest }
    }

    func setInputLimits(_ limits: Committer.InputLimits) {
        queue.async { [self] in committer.settings.limits = limits }
    }

    /// Takes an analysed file; commits it with whatever else arrived meanwhile.
    func submit(_ item: Analyzed) {
        let schedule = pending.mutate { p -> Bool in
            p.items.append(item)
            if p.scheduled { return false }
            p.scheduled = true
            return true
        }
        if schedule { queue.async { [self] in drain() } }
    }

    /// At shutdown: a batch being read stops after its chunk in hand (called off the queue).
    func stopReadingBatches() {
        stopFlag.value = true
    }

    /// At shutdown: commits what is in hand (or says what stays behind), then checkpoints.
    func finish() {
        queue.sync {
            finishing = true
            // A group in progress (a batch stops after its chunk in hand: stopReadingBatches).
            while let work = inProgress, step(work) {}
            drain()
            if hold != nil {
                logger.warning(
                    "\(held.count) analyzed file(s) not committed (the store is not writable): they stay in the drop folder for the next start"
                )
            }
        }
    }

    func checkpoint() {
        queue.sync {
            do {
                try committer.store.checkpoint()
            } catch {
                logger.warning("store: \(error) at the last checkpoint; the next start checks the whole file")
            }
        }
    }

    private func takePending() -> [Analyzed] {
        pending.mutate { p -> [Analyzed] in
            let items = p.items
            p.items = []
            p.scheduled = false
            return items
        }
    }

    private func drain() {
        // A group still being committed (a batch file's chunks) goes first; what arrived since
        // waits in `pending`, and the group's end drains it.
        guard inProgress == nil else { return }
        let group = takePending()
        guard !group.isEmpty else { return }
        if hold != nil {
            held += group
            return
        }
        _ = commitOrHold(group, yielding: true)
    }

    /// The group being committed a step at a time, and the index of its first item not done.
    private var inProgress: (group: [Analyzed], next: Int)?

    /// While the store refuses writes, the analyzed files it refused wait here (and in the
    /// drop folder) and no new work is handed out.
    private struct Hold {
        var since = DispatchTime.now().uptimeNanoseconds
        var backoff = Backoff.store
        var diskFull: Bool
        var lastLog = DispatchTime.now().uptimeNanoseconds
    }
    private var hold: Hold?
    private var held: [Analyzed] = []

    /// Commits the group, or when the store refuses it, holds it and retries later. With
    /// `yielding`, the queue is given back between steps (each chunk of a batch file), so that
    /// digests are written while a large batch is read; the group's end then drains what
    /// arrived meanwhile. Returns false when the store refused a step taken here.
    @discardableResult
    private func commitOrHold(_ group: [Analyzed], yielding: Bool) -> Bool {
        inProgress = (group, 0)
        while let work = inProgress {
            guard step(work) else { return false }
            if yielding && !finishing, inProgress != nil {
                queue.async { [self] in continueInProgress() }
                return true
            }
        }
        return true
    }

    /// Set by `finish`: what is left is committed without giving the queue back.
    private var finishing = false

    /// The next step of the group in progress (scheduled by `commitOrHold`).
    private func continueInProgress() {
        guard let work = inProgress, step(work) else { return }
        if inProgress != nil {
            queue.async { [self] in continueInProgress() }
        } else {
            drain()
        }
    }

    /// Commits one step of `work`; false when the store refused it (the rest is then held).
    private func step(_ work: (group: [Analyzed], next: Int)) -> Bool {
        let (group, start) = work
        let report: Committer.Report
        let next: Int
        do {
            (report, next) = try committer.step(group, from: start, day: clock.day())
        } catch let error as Committer.NotStored {
            inProgress = nil
            // What the step stored before the refusal (a batch's failed chunk stores nothing,
            // but a rejection before it may have) is accounted for now; the rest is held.
            if !error.report.days.isEmpty { accountFor(group[start..<start], error.report) }
            held = Array(group[start...])
            if hold == nil {
                hold = Hold(diskFull: error.diskFull)
                intake.queue.pause()
                logger.error(
                    """
                    store: cannot write \(committer.store.path.display): \(error); not taking new files until it \
                    can: \(held.count) analyzed and \(intake.queue.count - held.count) more file(s) wait in the \
                    drop folder, nothing is lost; trying again in a few seconds
                    """)
                notifier.send(
                    "STATUS=store not writable (\(error.diskFull ? "disk full" : "write error")): holding files")
            }
            hold?.diskFull = error.diskFull
            retryLater()
            return false
        } catch {
            inProgress = nil
            logger.error("store: \(error); stopping")
            failed(.ioError)
            return false
        }
        accountFor(group[start..<next], report)
        if next < group.count {
            inProgress = (group, next)
            return true
        }
        inProgress = nil
        if intake.queue.takeRescanDue() { intake.scan(nil, reason: .queueWasFull) }
        if !committer.unmoved.isEmpty && !moveRetryScheduled {
            moveBackoff.reset()
            retryMovesLater()
        }
        return true
    }

    /// Frees the committed items' places in the intake and reports what their commit did.
    private func accountFor(_ items: ArraySlice<Analyzed>, _ report: Committer.Report) {
        for item in items { intake.committed(item.entry.path) }
        totals.mutate { $0.add(report) }
        metrics.committed(report)
        changed(report.days)
    }

    /// Set while a retry of failed moves is scheduled.
    private var moveRetryScheduled = false
    private var moveBackoff = Backoff.moves

    private func retryMovesLater() {
        moveRetryScheduled = true
        queue.asyncAfter(deadline: .now() + moveBackoff.next()) { [self] in
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
        queue.asyncAfter(deadline: .now() + delay) { [self] in retryHeld() }
    }

    /// Free space is looked at first when the disk was full: a commit that fails again costs
    /// a replay of the ledger, a look at statvfs costs nothing.
    private func retryHeld() {
        guard let h = hold else { return }
        let group = held + takePending()
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
        guard commitOrHold(group, yielding: false) else { return }
        let seconds = Double(now - h.since) / 1e9
        hold = nil
        logger.notice(
            "store: writable again after \(String(format: "%.1f", seconds)) s; \(group.count) held file(s) committed, taking new files again"
        )
        notifier.send(watching)
        intake.resume()
        // Events refused while the queue was full are only found by listing the folder.
        intake.scan(nil, reason: .storeWritableAgain)
    }
}
