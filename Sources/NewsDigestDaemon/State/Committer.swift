import Foundation
import Glibc
import Logging
import NewsDigest

/// What a worker made of one file, ready to be decided and committed.
public struct Analyzed: Sendable {
    public let entry: DropScanner.Entry
    public let result: Result<(RawArticle, ParsedArticle), Rejection>

    /// The per-file work, pure but for reading the file: runs on any worker, in parallel.
    public static func analyze(_ entry: DropScanner.Entry, drop: AbsolutePath, limit: Int) -> Analyzed {
        let result = InputFile.read(drop.appending(entry.path), limit: limit)
            .flatMap {
                ArticleReader.read(bytes: $0, fileName: entry.path.fileName, folderSource: entry.path.folderSource)
            }
            .map { raw in (raw, ArticleAnalyzer.analyze(raw, file: entry.path.display)) }
        return Analyzed(entry: entry, result: result)
    }
}

/// The identities the store holds, readable from any thread (the scanner skips them).
public final class KnownIdentities: @unchecked Sendable {
    private let lock = NSLock()
    private var set: Set<FileIdentity> = []

    public func contains(_ identity: FileIdentity) -> Bool { lock.withLock { set.contains(identity) } }
    func insert(_ identity: FileIdentity) { lock.withLock { _ = set.insert(identity) } }
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

        public init(
            drop: AbsolutePath, state: AbsolutePath, afterIngest: Configuration.AfterIngest,
            grouping: GroupingOptions, workers: Int
        ) {
            self.drop = drop
            self.state = state
            self.afterIngest = afterIngest
            self.grouping = grouping
            self.workers = workers
        }
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
        public var alreadySeen = 0
        public var days: Set<String> = []

        public mutating func add(_ other: Report) {
            files += other.files
            articles += other.articles
            nearDuplicates += other.nearDuplicates
            exactDuplicates += other.exactDuplicates
            rejected += other.rejected
            alreadySeen += other.alreadySeen
            days.formUnion(other.days)
        }
    }

    public var settings: Settings
    public let store: Store
    public let known = KnownIdentities()
    public private(set) var ledger: Ledger
    /// The sequence number of the last stored record (what a digest written now reflects).
    public private(set) var lastSequence: Int64
    private var stored: [FileIdentity: StoredInput] = [:]
    /// Committed files whose move out of the drop folder failed (a full archive disk, say):
    /// counted already, moved by `retryUnmoved` once it can be done.
    public private(set) var unmoved: [RelativePath: FileIdentity] = [:]
    private let logger: Logger
    public var trace: (@Sendable (Step) -> Void)?

    /// Opens the store and learns which files and article ids it holds. Days are rebuilt in
    /// memory only when they are worked on (`dayState`, `commit`), with the current code.
    public init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        store = try Store(state: settings.state)
        ledger = Ledger(options: settings.grouping)
        lastSequence = 0
        let count = try replay()
        if count > 0 { logger.info("store: \(count) committed file(s) known") }
    }

    /// The ledger as the store holds it, and nothing else: at start, and after a commit the
    /// store refused, whose decisions the ledger had already taken. Loaded days are dropped
    /// and rebuilt when next needed.
    private func replay() throws -> Int {
        ledger = Ledger(options: settings.grouping)
        loadedDays = []
        lastSequence = try store.lastSequence()
        var count = 0
        try store.eachRecord { record in
            if record.outcome == .new || record.outcome == .nearDuplicate { ledger.remember(articleID: record.id) }
            known.insert(record.identity)
            stored[record.identity] = record
            count += 1
        }
        return count
    }

    /// Days held whole in memory, most recently used last.
    private var loadedDays: [String] = []
    /// Today and the day before stay loaded across midnight; older ones are rebuilt if needed.
    static let maxLoadedDays = 2

    /// Rebuilds `day` from its stored records unless it is in memory already.
    private func ensureLoaded(_ day: String) throws {
        if let i = loadedDays.firstIndex(of: day) {
            loadedDays.append(loadedDays.remove(at: i))
            return
        }
        let records = try store.records(day: day)
        let parsed = ParallelMap.map(records, workers: settings.workers) { r -> ParsedArticle? in
            r.article.map { ArticleAnalyzer.analyze($0, file: r.file) }
        }
        var replayed: [Ledger.Replayed] = []
        replayed.reserveCapacity(records.count)
        for (record, article) in zip(records, parsed) {
            switch record.outcome {
            case .exactDuplicate: replayed.append(.exactDuplicate(file: record.file, of: record.id))
            case .rejected: replayed.append(.rejected(file: record.file, reason: record.reason ?? "rejected"))
            case .new, .nearDuplicate:
                if let article { replayed.append(.article(article)) }
            }
        }
        ledger.load(day: day, replayed)
        loadedDays.append(day)
        while loadedDays.count > Self.maxLoadedDays { ledger.unload(day: loadedDays.removeFirst()) }
        if !records.isEmpty { logger.info("store: day \(day) rebuilt from \(records.count) record(s)") }
    }

    /// The store refused a commit (disk full, read-only, I/O error): nothing of the group was
    /// stored or moved, and the ledger is back to what the store holds. Committing the same
    /// group again later is safe.
    public struct NotStored: Error, CustomStringConvertible {
        public let underlying: any Error
        public let files: Int
        /// True when the file system said it was out of space (or quota).
        public let diskFull: Bool
        public var description: String { "\(underlying)" }
    }

    /// The day as committed (rebuilt from the store first if it is not in memory).
    public func dayState(_ day: String) throws -> DayState {
        try ensureLoaded(day)
        return ledger.days[day] ?? DayState(day: day, options: ledger.options)
    }

    /// For a file the store already holds that is still in the drop folder (a run that stopped
    /// between commit and move): finishes its move. Returns false when the identity is unknown.
    public func finishIfCommitted(_ entry: DropScanner.Entry) throws -> Bool {
        guard let record = stored[entry.identity] else { return false }
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
    /// (counted in `alreadySeen`); their move is finished if it was cut short.
    public func commit(_ group: [Analyzed], day: String) throws -> Report {
        var report = Report()
        try ensureLoaded(day)
        var records: [StoredInput] = []
        var paths: [RelativePath] = []
        var fresh: Set<FileIdentity> = []
        var secondNames: [DropScanner.Entry] = []
        defer { for entry in secondNames { _ = try? finishIfCommitted(entry) } }
        for item in group {
            if stored[item.entry.identity] != nil {
                report.alreadySeen += 1
                _ = try? finishIfCommitted(item.entry)
                continue
            }
            if !fresh.insert(item.entry.identity).inserted {
                // A second name of a file in this very group: moved once the first is stored.
                report.alreadySeen += 1
                secondNames.append(item.entry)
                continue
            }
            let file = item.entry.path.display
            var outcome = StoredInput.Outcome.rejected
            var id = Self.rejectionID(file)
            var story: Int?
            var article: RawArticle?
            var reason: String?
            switch item.result {
            case .success(let (raw, parsed)):
                article = raw
                if let encoding = raw.encoding { logger.notice("\(file): not UTF-8, decoded as \(encoding)") }
                switch ledger.commit(parsed, day: day) {
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
                    report.rejected += 1
                    (article, reason) = (nil, why)
                }
            case .failure(let rejection):
                ledger.reject(file: file, reason: rejection.reason, day: day)
                logger.warning("rejected \(file): \(rejection.reason)")
                report.rejected += 1
                reason = rejection.reason
            }
            let record = StoredInput(
                day: day, file: file, identity: item.entry.identity, outcome: outcome, id: id, story: story,
                article: article, reason: reason)
            records.append(record)
            paths.append(item.entry.path)
        }
        guard !records.isEmpty else { return report }
        // The order that makes a crash harmless: outcomes durable first, then the moves, then
        // the folder fsyncs that make the moves themselves durable.
        do {
            lastSequence = try store.insert(records)
        } catch {
            _ = try replay()
            throw NotStored(underlying: error, files: records.count, diskFull: Store.isDiskFull(error))
        }
        for var r in records {
            r.article = nil  // kept in the store; what is kept here only finishes moves
            stored[r.identity] = r
            known.insert(r.identity)
        }
        trace?(.committed(files: records.map(\.file)))
        report.files = records.count
        report.days.insert(day)
        if settings.afterIngest != .keep {
            var folders: Set<AbsolutePath> = []
            for (path, record) in zip(paths, records) {
                do {
                    folders.formUnion(try moveOut(path, record: record))
                    trace?(.moved(file: record.file))
                } catch {
                    // Committed, so it is counted once whatever happens to the file now.
                    unmoved[path] = record.identity
                    logger.error(
                        "cannot move \(record.file) out of the drop folder: \(error); it is committed (counted once) and its move is tried again later"
                    )
                }
            }
            for folder in folders.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                try sync(folder)
            }
        }
        return report
    }

    static func rejectionID(_ file: String) -> String {
        "r" + StableHash.hex(StableHash.string(file), digits: 12)
    }

    private func sync(_ folder: AbsolutePath) throws {
        try Directory.sync(folder)
        trace?(.synced(folder: folder.display))
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
            let note = "file: \(record.file)\nday: \(record.day)\nreason: \(record.reason ?? "rejected")\n"
            try AtomicFile.write(Array(note.utf8), to: AbsolutePath(bytes: target.bytes + Array(".reason".utf8)))
        }
        return [source.parent, target.parent]
    }
}
