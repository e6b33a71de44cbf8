import Foundation
import Glibc
import Logging
import NewsDigest

/// What a worker made of one file (or of one record of a batch file), ready to be decided and
/// committed.
public struct Analyzed: Sendable {
    public let entry: DropScanner.Entry
    public let result: Result<(RawArticle, ParsedArticle), Rejection>
    /// 0 for a file of one article; for a record of a batch file, its number (from 1).
    public var record = 0
    /// A batch file, not read yet: the store's owner reads it a chunk of records at a time
    /// (`Committer.commit`), so a batch never stands in memory whole.
    public var batch: BatchSplitter.Layout?
    /// A rejected record's bytes, set aside in `rejected/` with its reason.
    public var recordBytes: [UInt8]?

    public init(entry: DropScanner.Entry, result: Result<(RawArticle, ParsedArticle), Rejection>) {
        self.entry = entry
        self.result = result
    }

    /// A batch file, handed on unread.
    static func batch(_ entry: DropScanner.Entry, _ layout: BatchSplitter.Layout) -> Analyzed {
        var a = Analyzed(entry: entry, result: .failure(Rejection(.type, "a batch file, read record by record")))
        a.batch = layout
        return a
    }

    /// The per-file work, pure but for reading the file: runs on any worker, in parallel.
    public static func analyze(
        _ entry: DropScanner.Entry, drop: AbsolutePath, limit: Int,
        htmlLimit: Int = ArticleReader.defaultMaxHTMLBytes
    ) -> Analyzed {
        let format = ArticleReader.format(ofFileNamed: entry.path.fileName)
        if format == .jsonLines { return .batch(entry, .lines) }
        let path = drop.appending(entry.path)
        let bytes = InputFile.read(path, limit: limit)
        if format == .json {
            // A JSON array is a batch (Scrapy's `-o items.json`), over max_file_bytes or not.
            switch bytes {
            case .success(let b) where BatchSplitter.opensArray(b): return .batch(entry, .array)
            case .failure(let r) where r.kind == .size && InputFile.peek(path).map(BatchSplitter.opensArray) == true:
                return .batch(entry, .array)
            default: break
            }
        }
        let result =
            bytes
            .flatMap {
                ArticleReader.read(
                    bytes: $0, fileName: entry.path.fileName, folderSource: entry.path.folderSource,
                    maxHTMLBytes: htmlLimit)
            }
            .map { raw in (raw, ArticleAnalyzer.analyze(raw, file: entry.path.kept)) }
        return Analyzed(entry: entry, result: result)
    }

    /// One piece of a batch file, read and analysed as a `.json` file of one article is.
    static func analyze(
        _ piece: BatchSplitter.Piece, of entry: DropScanner.Entry, htmlLimit: Int
    ) -> Analyzed {
        var out: Analyzed
        switch piece {
        case .record(let n, let bytes):
            let file = entry.path.kept(record: n)
            let result = ArticleReader.readRecord(bytes, folderSource: entry.path.folderSource, maxHTMLBytes: htmlLimit)
                .map { raw in (raw, ArticleAnalyzer.analyze(raw, file: file)) }
            out = Analyzed(entry: entry, result: result)
            if case .failure = result { out.recordBytes = bytes }
        case .rejected(_, let r):
            out = Analyzed(entry: entry, result: .failure(r))
        }
        out.record = piece.number
        return out
    }

    /// The name the digests give it: the file's, with its record number for a batch's record.
    var file: String { entry.path.kept(record: record) }
}

/// The one serial owner of state: decides each article against the ledger, commits the group to
/// the store, then moves the inputs out and fsyncs the folders — in that order, so a crash at
/// any point either leaves a file uncommitted (taken again next start) or committed (its move
/// finished next start), never counted twice. Not thread-safe: one caller at a time.
public final class Committer {
    public struct Settings: Sendable {
        public var drop: AbsolutePath
        public var state: AbsolutePath
        public var afterIngest: Configuration.AfterIngest
        public var grouping: GroupingOptions
        public var workers: Int
        /// The input limits a batch file is read by (its records are read here, not by a worker).
        public var limits: InputLimits

        public init(
            drop: AbsolutePath, state: AbsolutePath, afterIngest: Configuration.AfterIngest,
            grouping: GroupingOptions, workers: Int, limits: InputLimits = InputLimits()
        ) {
            self.drop = drop
            self.state = state
            self.afterIngest = afterIngest
            self.grouping = grouping
            self.workers = workers
            self.limits = limits
        }
    }

    /// `input.max_file_bytes`, `input.max_html_bytes` and `input.max_batch_bytes`.
    public struct InputLimits: Sendable {
        public var maxFileBytes = Configuration().maxFileBytes
        public var maxHTMLBytes = ArticleReader.defaultMaxHTMLBytes
        public var maxBatchBytes = Configuration().maxBatchBytes
        public init() {}
    }

    /// The steps of a commit, in the order they happen, for tests that check the order.
    public enum Step: Sendable, Equatable {
        case committed(files: [String])
        case moved(file: String)
        case synced(folder: String)
    }

    public struct Report: Sendable {
        public var files = 0
        public var articles = 0
        public var nearDuplicates = 0
        public var exactDuplicates = 0
        public var rejected = 0
        /// The rejections by class, adding up to `rejected`.
        public var rejectedKinds: [Rejection.Kind: Int] = [:]
        public var alreadySeen = 0
        public var days: Set<String> = []

        public mutating func reject(_ kind: Rejection.Kind) {
            rejected += 1
            rejectedKinds[kind, default: 0] += 1
        }

        public mutating func add(_ other: Report) {
            files += other.files
            articles += other.articles
            nearDuplicates += other.nearDuplicates
            exactDuplicates += other.exactDuplicates
            rejected += other.rejected
            rejectedKinds.merge(other.rejectedKinds, uniquingKeysWith: +)
            alreadySeen += other.alreadySeen
            days.formUnion(other.days)
        }
    }

    public var settings: Settings
    public let store: Store
    public private(set) var ledger: Ledger
    /// The sequence number of the last stored record (what a digest written now reflects).
    public private(set) var lastSequence: Int64
    /// Committed files whose move out of the drop folder failed (a full archive disk, say):
    /// counted already, moved by `retryUnmoved` once it can be done.
    public private(set) var unmoved: [RelativePath: FileIdentity] = [:]
    private let logger: Logger
    public var trace: (@Sendable (Step) -> Void)?
    /// Set from any thread at shutdown: a batch being read stops after the chunk in hand, and
    /// the next start takes it up after its last committed record.
    public let stopReadingBatches = Locked(false)

    /// Opens the store (back-filling a store written before articles were kept decided). Reads
    /// nothing else: files and article ids are looked up in the store's indexes when needed, and
    /// a day is rebuilt from its stored decisions only when it is worked on.
    public init(settings: Settings, logger: Logger, upgradeProgress: ((String) -> Void)? = nil) throws {
        self.settings = settings
        self.logger = logger
        store = try Store(state: settings.state)
        try store.upgrade(
            options: settings.grouping, workers: settings.workers, logger: logger, progress: upgradeProgress)
        ledger = Ledger(options: settings.grouping)
        lastSequence = try store.lastSequence()
    }

    /// Days held in memory, most recently used last.
    private var loadedDays: [String] = []
    /// Today and the day before stay loaded across midnight; older ones are rebuilt if needed.
    static let maxLoadedDays = 2

    /// Rebuilds `day` from its stored decisions unless it is in memory already.
    private func ensureLoaded(_ day: String) throws {
        if touch(day) { return }
        let state = try store.day(day, options: settings.grouping)
        ledger.load(state)
        loadedDays.append(day)
        while loadedDays.count > Self.maxLoadedDays { ledger.unload(day: loadedDays.removeFirst()) }
        if !state.entries.isEmpty { logger.info("store: day \(day) loaded, \(state.entries.count) article(s)") }
    }

    /// Marks `day` most recently used; false when it is not in memory.
    private func touch(_ day: String) -> Bool {
        guard let i = loadedDays.firstIndex(of: day) else { return false }
        loadedDays.append(loadedDays.remove(at: i))
        return true
    }

    /// Forgets the days in memory: after a commit the store refused, whose decisions they hold.
    private func unloadAll() {
        ledger.unloadAll()
        loadedDays = []
        shingleCache.removeAll()
    }

    /// About 1 MiB of the latest articles' shingles (a hundred or two articles).
    private let shingleCache = ShingleCache(capacity: 128 * 1024)

    /// The store refused a commit (disk full, read-only, I/O error): nothing of the group was
    /// stored or moved, and the ledger is back to what the store holds. Committing the same
    /// group again later is safe.
    public struct NotStored: Error, CustomStringConvertible {
        public let underlying: any Error
        public let files: Int
        /// True when the file system said it was out of space (or quota).
        public let diskFull: Bool
        /// How many items at the head of the group were committed before the refusal (a batch
        /// file's earlier chunks are stored, yet the batch is not done), and what they did.
        public var done = 0
        public var report = Report()
        public var description: String { "\(underlying)" }
    }

    /// Makes room in `day` for `articles` more articles before a known batch (`once`).
    public func reserve(day: String, articles: Int) throws {
        try ensureLoaded(day)
        ledger.reserve(day: day, articles: articles)
    }

    /// The day as committed (rebuilt from the store first if it is not in memory).
    public func dayState(_ day: String) throws -> DayState {
        try ensureLoaded(day)
        return ledger.days[day] ?? DayState(day: day, options: ledger.options)
    }

    /// What a digest reads of `day`, the day then dropped from memory: for a caller that decides
    /// nothing more on it (`once`), so the indexes deciding used (band table, centroids) are
    /// freed before the digest reads its stories back, and the two never add up at the peak.
    public func lastView(_ day: String) throws -> DayView {
        let view = try self.view(day)
        ledger.unload(day: day)
        loadedDays.removeAll { $0 == day }
        return view
    }

    /// What a digest reads of `day`: the day in memory when it is being worked on, else rebuilt
    /// from the store without the indexes that decide, and not kept. A digest of a day nothing
    /// is committed to (the day before, written again for its page's link to a new day) then
    /// costs its entries, not its band table and centroids, and does not stay loaded: on a
    /// store of 1M articles that rewrite took a 10k-file `once` from 58 to 178 MiB.
    public func view(_ day: String) throws -> DayView {
        if touch(day), let state = ledger.days[day] { return state.view }
        return try store.day(day, options: settings.grouping, indexing: false).view
    }

    /// For a file the store already holds that is still in the drop folder (a run that stopped
    /// between commit and move): finishes its move. Returns false when the identity is unknown.
    public func finishIfCommitted(_ entry: DropScanner.Entry) throws -> Bool {
        guard let record = try store.record(identity: entry.identity) else { return false }
        return try finish(entry, record: record)
    }

    private func finish(_ entry: DropScanner.Entry, record: StoredInput) throws -> Bool {
        var st = stat()
        let path = settings.drop.appending(entry.path)
        guard path.withCString({ lstat($0, &st) }) == 0, FileIdentity(st) == entry.identity else {
            return true  // already moved meanwhile
        }
        if settings.afterIngest != .keep {
            for folder in try moveOut(entry.path, record: record) { try sync(folder) }
            logger.notice("finished moving \(entry.path.display), committed by an earlier run")
        }
        return true
    }

    /// Tries the moves that failed again; returns how many are still left.
    public func retryUnmoved() -> Int {
        var done = 0
        for (path, identity) in unmoved.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try finishIfCommitted(DropScanner.Entry(path: path, identity: identity))
                unmoved[path] = nil
                done += 1
            } catch {
                continue
            }
        }
        if done > 0 {
            logger.notice("moved \(done) committed file(s) out of the drop folder that could not be moved before")
        }
        return unmoved.count
    }

    /// Decides, commits and moves one group. Files whose identity is already stored are skipped
    /// (counted in `alreadySeen`); their move is finished if it was cut short. A batch file in
    /// the group is read and committed there, a chunk of records at a time, in its place.
    public func commit(_ group: [Analyzed], day: String) throws -> Report {
        var report = Report()
        var start = 0
        do {
            while start < group.count {
                let step = try self.step(group, from: start, day: day)
                report.add(step.report)
                start = step.next
            }
        } catch var error as NotStored {
            // What the steps before stored, and what the refused step stored before it failed.
            report.add(error.report)
            error.done = start
            error.report = report
            throw error
        }
        return report
    }

    /// Commits the next step of `group` from item `start`: the run of files of one article
    /// there, or one chunk of records of the batch file there. Returns what it did and the index
    /// of the first item not done yet (`start` again while a batch is being read). Between two
    /// steps the caller may do other work on the store (the daemon writes digests): a batch of
    /// 100k records then does not hold the store for its whole length. After a throw the batch
    /// being read is closed; committing `group[start...]` again takes it up where it stopped.
    public func step(_ group: [Analyzed], from start: Int, day: String) throws -> (report: Report, next: Int) {
        guard let layout = group[start].batch else {
            var end = start + 1
            while end < group.count && group[end].batch == nil { end += 1 }
            return (try commitFiles(group[start..<end], day: day), end)
        }
        var report = Report()
        do {
            let done = try batchChunk(group[start].entry, layout: layout, day: day, report: &report)
            return (report, done ? start + 1 : start)
        } catch var error as NotStored {
            closeBatch()
            error.report = report
            throw error
        } catch {
            closeBatch()
            throw error
        }
    }

    /// Records of a batch committed in one transaction: a crash costs at most this many
    /// records' work, never a record (each is stored under the file's identity and its number).
    static let batchChunk = 64

    /// The batch file being read: its records analysed ahead on worker threads.
    private struct OpenBatch {
        let entry: DropScanner.Entry
        let feed: BatchFeed
        /// The number of the last record taken so far.
        var last = 0
    }

    private var openBatch: OpenBatch?

    private func closeBatch() {
        openBatch?.feed.stop()
        openBatch = nil
    }

    /// Opens the batch of `entry` (unless it is open already) and commits its next chunk; the
    /// last chunk's transaction also records the batch as read to its end, and the file is
    /// moved out after it. A batch cut short earlier is taken up after its last committed
    /// record. Returns true when the batch is done with (read to its end, rejected, found
    /// committed before, or stopped for a shutdown).
    private func batchChunk(
        _ entry: DropScanner.Entry, layout: BatchSplitter.Layout, day: String, report: inout Report
    ) throws -> Bool {
        if let open = openBatch, open.entry.path != entry.path || open.entry.identity != entry.identity { closeBatch() }
        if openBatch == nil {
            guard let feed = try openFeed(entry, layout: layout, day: day, report: &report) else { return true }
            openBatch = OpenBatch(entry: entry, feed: feed)
        }
        let feed = openBatch!.feed
        let chunk = feed.take(Self.batchChunk)
        if let failure = feed.failure, feed.finished {
            // The rest cannot be read: the records read so far are committed, and the file
            // is set aside with the reason.
            closeBatch()
            report.add(try commitItems(chunk, entry: entry, day: day, batchEnd: nil, report: &report))
            report.add(try commitFiles([Analyzed(entry: entry, result: .failure(failure))], day: day))
            return true
        }
        let end = feed.finished
        if end && openBatch!.last == 0 && chunk.isEmpty {
            closeBatch()
            let none = Rejection(.empty, "a batch file with no records")
            report.add(try commitFiles([Analyzed(entry: entry, result: .failure(none))], day: day))
            return true
        }
        openBatch!.last = chunk.last?.number ?? openBatch!.last
        let last = openBatch!.last
        report.add(try commitItems(chunk, entry: entry, day: day, batchEnd: end ? feed.records : nil, report: &report))
        if end {
            closeBatch()
            return true
        }
        if stopReadingBatches.value {
            closeBatch()
            logger.notice(
                "\(entry.path.display): stopping after record \(last) of the batch; the next start takes it up there")
            return true
        }
        return false
    }

    /// The feed of a batch's records, or nil when there is nothing to read: the batch was
    /// committed before (its move finished), cannot be opened (rejected as a file), or changed
    /// since it was found (offered again).
    private func openFeed(
        _ entry: DropScanner.Entry, layout: BatchSplitter.Layout, day: String, report: inout Report
    ) throws -> BatchFeed? {
        if let done = try store.record(identity: entry.identity) {
            _ = try? finish(entry, record: done)
            report.alreadySeen += 1
            return nil
        }
        let limits = settings.limits
        let file: BatchFile
        switch BatchFile.open(
            settings.drop.appending(entry.path), layout: layout, maxBatchBytes: limits.maxBatchBytes,
            maxRecordBytes: limits.maxFileBytes)
        {
        case .failure(let rejection):
            report.add(try commitFiles([Analyzed(entry: entry, result: .failure(rejection))], day: day))
            return nil
        case .success(let opened):
            file = opened
        }
        guard file.identity == entry.identity else {
            // Written to since it was found: its new version is offered again (the watcher's
            // event, or the next run's scan), and committed under that identity.
            logger.notice(
                "\(entry.path.display): changed while waiting to be read; read again once it is offered again")
            return nil
        }
        let resumeAfter = try store.committedRecords(identity: entry.identity)
        if resumeAfter > 0 {
            logger.notice("\(entry.path.display): taking up the batch after record \(resumeAfter), committed before")
        }
        let htmlLimit = limits.maxHTMLBytes
        return BatchFeed(file, workers: settings.workers, window: 3 * Self.batchChunk, resumeAfter: resumeAfter) {
            Analyzed.analyze($0, of: entry, htmlLimit: htmlLimit)
        }
    }

    /// Commits one chunk of a batch's records (the ones committed before counted as seen).
    private func commitItems(
        _ chunk: [BatchFeed.Item], entry: DropScanner.Entry, day: String, batchEnd records: Int?,
        report: inout Report
    ) throws -> Report {
        var items: [Analyzed] = []
        for item in chunk {
            switch item {
            case .analysed(let a): items.append(a)
            case .skipped: report.alreadySeen += 1
            }
        }
        return try commitFiles(items[...], day: day, batchEnd: records.map { (entry, $0) })
    }

    /// Commits files of one article each, or records of one batch file (`batchEnd` with the
    /// last of them).
    private func commitFiles(
        _ group: ArraySlice<Analyzed>, day: String, batchEnd: (entry: DropScanner.Entry, records: Int)? = nil
    ) throws -> Report {
        var report = Report()
        try ensureLoaded(day)
        var records: [StoredInput] = []
        var paths: [RelativePath] = []
        var setAside: [(RelativePath, StoredInput, [UInt8])] = []
        var committedBefore: [(DropScanner.Entry, StoredInput)] = []
        var secondNames: [DropScanner.Entry] = []
        defer { for entry in secondNames { _ = try? finishIfCommitted(entry) } }
        // The order that makes a crash harmless: outcomes durable first (decisions, article rows
        // and input rows in one transaction), then the moves, then the folder fsyncs that make
        // the moves themselves durable.
        do {
            lastSequence = try store.write { db -> Int64 in
                var archive = StoreArchive(db: db, recent: shingleCache)
                var fresh: Set<FileIdentity> = []
                var last = lastSequence
                for item in group {
                    if let earlier = try Store.record(identity: item.entry.identity, record: item.record, db) {
                        if item.record == 0 {
                            committedBefore.append((item.entry, earlier))
                        } else {
                            report.alreadySeen += 1
                        }
                        continue
                    }
                    if item.record == 0 && !fresh.insert(item.entry.identity).inserted {
                        // A second name of a file in this very group: moved once the first is stored.
                        secondNames.append(item.entry)
                        continue
                    }
                    let record = try decide(item, day: day, archive: &archive, report: &report)
                    last = try Store.insert(record, db)
                    records.append(record)
                    if item.record == 0 {
                        paths.append(item.entry.path)
                    } else if record.outcome == .rejected, let bytes = item.recordBytes {
                        setAside.append((item.entry.path, record, bytes))
                    }
                }
                if let (entry, count) = batchEnd {
                    try Store.insertBatch(identity: entry.identity, file: entry.path.kept, day: day, records: count, db)
                }
                return last
            }
        } catch {
            unloadAll()
            throw NotStored(underlying: error, files: group.count, diskFull: Store.isDiskFull(error))
        }
        report.alreadySeen += committedBefore.count + secondNames.count
        for (entry, record) in committedBefore { _ = try? finish(entry, record: record) }
        for record in records where record.outcome == .rejected {
            logger.warning("rejected \(InputName.display(record.file)): \(record.reason ?? "rejected")")
        }
        var moving = zip(paths, records.filter { $0.record == 0 }).map { $0 }
        if let (entry, count) = batchEnd {
            let kept = entry.path.kept
            logger.info("\(entry.path.display): batch read to its end, \(count) record(s)")
            moving.append(
                (
                    entry.path,
                    StoredInput(
                        day: day, file: kept, identity: entry.identity, outcome: .new, id: Store.batchID(kept),
                        story: nil, article: nil, reason: nil)
                ))
        }
        guard !records.isEmpty || batchEnd != nil else { return report }
        trace?(.committed(files: records.map { InputName.display($0.file) }))
        report.files = records.count
        report.days.insert(day)
        if settings.afterIngest != .keep {
            var folders: Set<AbsolutePath> = []
            for (path, record, bytes) in setAside {
                do {
                    folders.formUnion(try setAsideRecord(bytes, of: path, record: record))
                } catch {
                    logger.error(
                        "cannot set \(InputName.display(record.file)) aside in rejected/: \(error); its rejection is committed, and the record is in its batch file"
                    )
                }
            }
            for (path, record) in moving {
                do {
                    folders.formUnion(try moveOut(path, record: record))
                    trace?(.moved(file: InputName.display(record.file)))
                } catch {
                    // Committed, so it is counted once whatever happens to the file now.
                    unmoved[path] = record.identity
                    logger.error(
                        "cannot move \(InputName.display(record.file)) out of the drop folder: \(error); it is committed (counted once) and its move is tried again later"
                    )
                }
            }
            for folder in folders.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                try sync(folder)
            }
        }
        return report
    }

    /// Decides one analysed file against the day (recording an article's row through `archive`)
    /// and returns its input record, raw text included.
    private func decide(
        _ item: Analyzed, day: String, archive: inout StoreArchive, report: inout Report
    ) throws -> StoredInput {
        let file = item.file
        var outcome = StoredInput.Outcome.rejected
        var id = Self.rejectionID(file)
        var story: Int?
        var article: RawArticle?
        var reason: String?
        switch item.result {
        case .success(let (raw, parsed)):
            article = raw
            if let encoding = raw.encoding {
                logger.notice("\(InputName.display(file)): not UTF-8, decoded as \(encoding)")
            }
            if let published = parsed.publishedDay,
                !ParsedArticle.believable(published: published, countedOn: day)
            {
                logger.notice(
                    "\(InputName.display(file)): publication date \(raw.date ?? "") is after \(day), taken as unknown")
            }
            switch try ledger.commit(parsed, day: day, archive: &archive) {
            case .new(let articleID, let storyIndex):
                report.articles += 1
                (outcome, id, story) = (.new, articleID, storyIndex)
            case .nearDuplicate(let articleID, _, let storyIndex):
                report.nearDuplicates += 1
                (outcome, id, story) = (.nearDuplicate, articleID, storyIndex)
            case .exactDuplicate:
                report.exactDuplicates += 1
                (outcome, id) = (.exactDuplicate, parsed.id)
            case .rejected(let why):
                // The ledger rejects only through `reject`, never in `commit`: not reached.
                report.reject(.empty)
                (article, reason) = (nil, why)
            }
        case .failure(let rejection):
            ledger.reject(file: file, reason: rejection.reason, day: day)
            report.reject(rejection.kind)
            reason = rejection.reason
        }
        return StoredInput(
            day: day, file: file, identity: item.entry.identity, outcome: outcome, id: id, story: story,
            article: article, reason: reason)
    }

    static func rejectionID(_ file: String) -> String {
        "r" + StableHash.hex(StableHash.string(file), digits: 12)
    }

    private func sync(_ folder: AbsolutePath) throws {
        try Directory.sync(folder)
        trace?(.synced(folder: folder.display))
    }

    /// Writes a rejected record of a batch to `rejected/` as `NAME.record-N` with its reason
    /// beside it, as a rejected file is moved there; returns the folder written to.
    private func setAsideRecord(_ bytes: [UInt8], of path: RelativePath, record: StoredInput) throws -> Set<
        AbsolutePath
    > {
        let name = RelativePath(bytes: path.bytes + Array(".record-\(record.record)".utf8))
        let target = settings.state.appending("rejected").appending(name)
        try Directory.create(target.parent)
        // Written under a temporary name, then moved in without replacing one there already.
        let temporary = target.parent.appending(".\(record.id).tmp")
        try AtomicFile.write(bytes, to: temporary)
        let placed = try FileMover.move(temporary, to: target, prefix: record.id)
        let note =
            "file: \(InputName.display(record.file))\nday: \(record.day)\nreason: \(record.reason ?? "rejected")\n"
        try AtomicFile.write(Array(note.utf8), to: AbsolutePath(bytes: placed.bytes + Array(".reason".utf8)))
        return [target.parent]
    }

    /// Moves one input to `archive/DAY/` or `rejected/` (or deletes it) and returns the folders
    /// whose entries changed, for the fsync that makes the moves durable.
    private func moveOut(_ path: RelativePath, record: StoredInput) throws -> Set<AbsolutePath> {
        let source = settings.drop.appending(path)
        let rejected = record.outcome == .rejected
        if !rejected && settings.afterIngest == .delete {
            if source.withCString({ unlink($0) }) != 0 && errno != ENOENT {
                throw SystemError("unlink", path: source.display)
            }
            return [source.parent]
        }
        let base =
            rejected ? settings.state.appending("rejected") : settings.state.appending("archive").appending(record.day)
        let target = try FileMover.move(source, to: base.appending(path), prefix: record.id)
        if rejected {
            let note =
                "file: \(InputName.display(record.file))\nday: \(record.day)\nreason: \(record.reason ?? "rejected")\n"
            try AtomicFile.write(Array(note.utf8), to: AbsolutePath(bytes: target.bytes + Array(".reason".utf8)))
        }
        return [source.parent, target.parent]
    }
}
