import Foundation
import Glibc
import Logging
import NewsDigest

/// `newsdigest once`: take every input now in the drop folder, commit each, move it out, and
/// write the digests of the days it touched.
public final class BatchRunner {
    public struct Options: Sendable {
        public var drop: AbsolutePath
        public var state: AbsolutePath
        public var digests: AbsolutePath
        public var keepInputs: Bool
        public var configuration: Configuration
        /// Show "done of total, rate" on standard error (only when it is a terminal).
        public var progress: Bool

        public init(
            drop: AbsolutePath, state: AbsolutePath, digests: AbsolutePath, keepInputs: Bool,
            configuration: Configuration, progress: Bool
        ) {
            self.drop = drop
            self.state = state
            self.digests = digests
            self.keepInputs = keepInputs
            self.configuration = configuration
            self.progress = progress
        }
    }

    public struct Report: Sendable {
        public var files = 0
        public var articles = 0
        public var nearDuplicates = 0
        public var exactDuplicates = 0
        public var rejected = 0
        public var alreadySeen = 0
        public var skipped = 0
        public var days: [String] = []
        public var seconds = 0.0
    }

    let options: Options
    let logger: Logger
    let clock: DayClock

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        self.clock = DayClock(timeZone: options.configuration.resolvedTimeZone())
    }

    /// Files handled per group: read and analysed in parallel, committed in one journal write,
    /// then moved. Bounds the memory of raw bytes in flight.
    static let groupSize = 512

    public func run() throws -> Report {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = Report()
        let config = options.configuration
        guard Directory.isDirectory(options.drop) else {
            throw SystemError("drop folder", path: options.drop.display, code: ENOTDIR)
        }
        try Directory.create(options.digests)
        let journal = try Journal(state: options.state)
        if journal.unreadable > 0 {
            logger.warning(
                "state journal: \(journal.unreadable) unreadable line(s) ignored (a write cut short by a crash)")
        }
        var ledger = Ledger(options: config.grouping)
        replay(journal.records, into: &ledger)
        let byIdentity = Dictionary(journal.records.map { ($0.identity, $0) }, uniquingKeysWith: { a, _ in a })

        let scan = try DropScanner.scan(options.drop)
        for s in scan.skipped {
            logger.notice("skipped \(s.path.display): \(s.reason)")
        }
        report.skipped = scan.skipped.count
        var pending: [DropScanner.Entry] = []
        for entry in scan.entries {
            if let record = byIdentity[entry.identity] {
                report.alreadySeen += 1
                // Committed before but still here: a run that stopped between commit and move.
                if !options.keepInputs && config.afterIngest != .keep {
                    try finishMove(entry.path, record: record)
                }
            } else {
                pending.append(entry)
            }
        }

        var touched: Set<String> = [clock.day()]
        let progress = Progress(total: pending.count, enabled: options.progress)
        let limit = config.maxFileBytes
        let drop = options.drop
        var start = 0
        while start < pending.count {
            let group = Array(pending[start..<min(start + Self.groupSize, pending.count)])
            start += group.count
            let outcomes = ParallelMap.map(group, workers: config.workerCount) { entry in
                Self.analyze(entry, drop: drop, limit: limit)
            }
            let day = clock.day()
            touched.insert(day)
            var records: [JournalRecord] = []
            var moves: [(RelativePath, JournalRecord, String)] = []
            for (entry, outcome) in zip(group, outcomes) {
                let file = entry.path.display
                let record: JournalRecord
                switch outcome {
                case .success(let (raw, parsed)):
                    let decision = ledger.commit(parsed, day: day)
                    record = JournalRecord(day: day, file: file, identity: entry.identity, article: raw, rejected: nil)
                    switch decision {
                    case .new: report.articles += 1
                    case .nearDuplicate: report.nearDuplicates += 1
                    case .exactDuplicate: report.exactDuplicates += 1
                    case .rejected: break
                    }
                    moves.append((entry.path, record, parsed.id))
                case .failure(let rejection):
                    ledger.reject(file: file, reason: rejection.reason, day: day)
                    logger.warning("rejected \(file): \(rejection.reason)")
                    report.rejected += 1
                    record = JournalRecord(
                        day: day, file: file, identity: entry.identity, article: nil, rejected: rejection.reason)
                    moves.append((entry.path, record, "r" + StableHash.hex(StableHash.string(file), digits: 12)))
                }
                records.append(record)
            }
            // The order that makes a crash harmless: outcomes durable first, then the moves.
            try journal.append(records)
            report.files += records.count
            if !options.keepInputs && config.afterIngest != .keep {
                var folders: Set<AbsolutePath> = []
                for (path, record, id) in moves {
                    folders.formUnion(try moveOut(path, record: record, id: id))
                }
                for folder in folders.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                    try Directory.sync(folder)
                }
            }
            progress.advance(by: group.count)
        }
        progress.finish()

        let builder = DigestBuilder(budget: config.summaryBudget)
        for day in touched.sorted() {
            let state = ledger.days[day] ?? DayState(day: day, options: config.grouping)
            try DigestFiles.write(builder.build(state), to: options.digests)
        }
        report.days = touched.sorted()
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    /// Rebuilds every stored day's decisions, in commit order, with the current code.
    private func replay(_ records: [JournalRecord], into ledger: inout Ledger) {
        let parsed = ParallelMap.map(records, workers: options.configuration.workerCount) { r -> ParsedArticle? in
            r.article.map { ArticleAnalyzer.analyze($0, file: r.file) }
        }
        for (record, article) in zip(records, parsed) {
            if let article {
                ledger.commit(article, day: record.day)
            } else {
                ledger.reject(file: record.file, reason: record.rejected ?? "rejected", day: record.day)
            }
        }
    }

    static func analyze(_ entry: DropScanner.Entry, drop: AbsolutePath, limit: Int) -> Result<
        (RawArticle, ParsedArticle), Rejection
    > {
        InputFile.read(drop.appending(entry.path), limit: limit)
            .flatMap {
                ArticleReader.read(bytes: $0, fileName: entry.path.fileName, folderSource: entry.path.folderSource)
            }
            .map { raw in (raw, ArticleAnalyzer.analyze(raw, file: entry.path.display)) }
    }

    /// Moves one input to `archive/DAY/` or `rejected/` (or deletes it) and returns the folders
    /// whose entries changed, for the fsync that makes the moves durable.
    private func moveOut(_ path: RelativePath, record: JournalRecord, id: String) throws -> Set<AbsolutePath> {
        let source = options.drop.appending(path)
        if record.rejected == nil && options.configuration.afterIngest == .delete {
            if source.withCString({ unlink($0) }) != 0 && errno != ENOENT {
                throw SystemError("unlink", path: source.display)
            }
            return [source.parent]
        }
        let base =
            record.rejected == nil
            ? options.state.appending("archive").appending(record.day) : options.state.appending("rejected")
        let target = try FileMover.move(source, to: base.appending(path), prefix: id)
        if let reason = record.rejected {
            let note = "file: \(record.file)\nday: \(record.day)\nreason: \(reason)\n"
            try AtomicFile.write(Array(note.utf8), to: AbsolutePath(bytes: target.bytes + Array(".reason".utf8)))
        }
        return [source.parent, target.parent]
    }

    private func finishMove(_ path: RelativePath, record: JournalRecord) throws {
        let id =
            record.article.map {
                "a" + StableHash.hex(ArticleAnalyzer.analyze($0, file: record.file).exactKey, digits: 12)
            }
            ?? "r" + StableHash.hex(StableHash.string(record.file), digits: 12)
        for folder in try moveOut(path, record: record, id: id) { try Directory.sync(folder) }
        logger.notice("finished moving \(record.file), committed by an earlier run")
    }
}

/// Writes a day's digest files (JSON first, Markdown second, each atomically).
public enum DigestFiles {
    public static func write(_ digest: Digest, to folder: AbsolutePath) throws {
        try AtomicFile.write(Array(JSONRendering.render(digest).utf8), to: folder.appending(digest.date + ".json"))
        try AtomicFile.write(Array(MarkdownRendering.render(digest).utf8), to: folder.appending(digest.date + ".md"))
    }
}

/// "412/5000 files, 1830/s" on a terminal's standard error, redrawn at most ten times a second.
final class Progress {
    let total: Int
    let enabled: Bool
    private var done = 0
    private var lastDraw: UInt64 = 0
    private let started = DispatchTime.now().uptimeNanoseconds

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    func advance(by n: Int) {
        done += n
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastDraw > 100_000_000 || done == total {
            lastDraw = now
            let rate = Double(done) / max(1e-9, Double(now - started) / 1e9)
            FileHandle.standardError.write(Data("\r\(done)/\(total) files, \(Int(rate))/s   ".utf8))
        }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
