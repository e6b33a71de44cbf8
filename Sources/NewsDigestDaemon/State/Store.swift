import Foundation
import GRDB
import Glibc
import NewsDigest

/// A state database this version must not open: it says what is wrong and what to do, and
/// the daemon exits 65 (EX_DATAERR) instead of being restarted into the same failure.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case corrupt(path: String, detail: String)
    case newerVersion(path: String, unknownMigrations: [String])
    /// A row the store's own invariants say is there is not (or cannot be read).
    case missing(String)

    public var description: String {
        switch self {
        case .corrupt(let path, let detail):
            return """
                state database \(path) is damaged (\(detail)); not opened, nothing in it was changed. \
                Stop here and keep a copy: `sqlite3 \(path) .recover` may save its records; to start afresh \
                move it (with its -wal and -shm files) aside: inputs already moved to archive/ are not taken again
                """
        case .newerVersion(let path, let unknown):
            return """
                state database \(path) was written by a newer newsdigest (schema steps this version does not \
                know: \(unknown.joined(separator: ", "))); not opened, nothing in it was changed. Run the newer \
                version, or move the file aside to start afresh
                """
        case .missing(let what):
            return "state database: \(what) is missing or unreadable (damaged?)"
        }
    }
}

/// One committed input: its outcome, and enough to finish its move after a crash without reading
/// it again. An article's decision and features are in the `article` table (`StoreArchive`).
public struct StoredInput: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case new
        case nearDuplicate = "near_duplicate"
        case exactDuplicate = "exact_duplicate"
        case rejected
    }

    public var day: String
    public var file: String
    public var identity: FileIdentity
    public var outcome: Outcome
    /// The article id, or for a rejection the id its moved file is prefixed with.
    public var id: String
    /// The story it joined that day (articles and near duplicates only).
    public var story: Int?
    public var article: RawArticle?
    public var reason: String?

    public init(
        day: String, file: String, identity: FileIdentity, outcome: Outcome, id: String, story: Int?,
        article: RawArticle?, reason: String?
    ) {
        self.day = day
        self.file = file
        self.identity = identity
        self.outcome = outcome
        self.id = id
        self.story = story
        self.article = article
        self.reason = reason
    }
}

extension StoredInput {
    /// Its record number in a batch file; 0 for a file of one article.
    public var record: Int { InputName.record(file).record }
}

extension FileIdentity {
    /// The identity columns' values, in the order of the identity index.
    var arguments: StatementArguments {
        [Int64(bitPattern: device), Int64(bitPattern: inode), size, mtimeNanoseconds]
    }
}

/// A day's counts as committed, read straight from the store (no replay).
public struct DayCounts: Sendable, Equatable {
    public var day: String
    public var files = 0
    public var stories = 0
    /// Articles shown in stories, near duplicates among them.
    public var articles = 0
    public var nearDuplicates = 0
    public var exactDuplicates = 0
    public var rejected = 0
}

/// The state folder's SQLite database (`STATE/newsdigest.sqlite`): WAL mode, `synchronous=FULL`,
/// so when `insert` returns the records survive a crash or a power cut. A file whose identity is
/// in it is never counted again.
///
/// One process owns a state folder at a time: a writable store holds an exclusive lock on
/// `STATE/lock` for as long as it is open. A read-only store (`newsdigest status`) takes no lock
/// and writes nothing, so it works beside a running daemon and leaves no files of its own.
public final class Store {
    public static let fileName = "newsdigest.sqlite"

    public let path: AbsolutePath
    let database: DatabaseQueue
    private let lockFD: Int32

    /// - Throws: `StoreError` for a damaged or newer database, `SystemError` otherwise.
    public init(state: AbsolutePath) throws {
        try Directory.create(state)
        let lockPath = state.appending("lock")
        lockFD = lockPath.withCString { open($0, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        guard lockFD >= 0 else { throw SystemError("open", path: lockPath.display) }
        if flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(lockFD)
            throw SystemError(
                "lock (is another newsdigest using this state folder?)", path: lockPath.display, code: code)
        }
        path = state.appending(Self.fileName)
        var config = GRDB.Configuration()
        config.label = "newsdigest.store"
        config.prepareDatabase { db in
            // WAL set here rather than with GRDB's `journalMode = .wal`, which also sets
            // synchronous=NORMAL, after this runs. FULL: the WAL is fsynced at every commit,
            // which is what lets a file leave the drop folder right after; NORMAL could lose the
            // last commits on a power cut.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // SQLite's memory is part of the daemon's budget. The page cache is bounded at 2 MiB,
            // said here rather than left to the build's default: the upper levels of the id and
            // identity indexes a commit looks up fit, the rest is the kernel's page cache. mmap
            // stays off: mapped pages count in the process's resident set and would follow the
            // store's size, the one thing memory must never follow.
            try db.execute(sql: "PRAGMA cache_size = -2048")
            try db.execute(sql: "PRAGMA mmap_size = 0")
        }
        do {
            database = try DatabaseQueue(path: path.display, configuration: config)
            try Self.check(database, path: path)
            try Self.migrator.migrate(database)
        } catch let error as StoreError {
            close(lockFD)
            throw error
        } catch let error as DatabaseError where Self.isCorruption(error) {
            close(lockFD)
            throw StoreError.corrupt(path: path.display, detail: error.message ?? "\(error.resultCode)")
        } catch {
            close(lockFD)
            throw SystemError("open database (\(error))", path: path.display, code: EIO)
        }
    }

    /// Before anything is written: a damaged file or one from a newer version is refused, not
    /// repaired or migrated over, so nothing stored is lost by starting.
    ///
    /// Start-up must not grow with the store, so the whole-file `quick_check` (about a second a
    /// GiB) runs only after an unclean stop, when a write-ahead log is left beside the file.
    /// Otherwise the header is read (a damaged one fails to open) and the file must be as long
    /// as the header says (a truncated copy is not).
    private static func check(_ database: DatabaseQueue, path: AbsolutePath) throws {
        var wal = stat()
        let uncleanStop = (path.display + "-wal").withCString { lstat($0, &wal) } == 0 && wal.st_size > 0
        if uncleanStop {
            let problems = try database.snapshot { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
            if problems != ["ok"] {
                throw StoreError.corrupt(path: path.display, detail: problems.joined(separator: "; "))
            }
        } else {
            let expected = try database.snapshot { db in
                (try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0)
                    * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
            }
            var file = stat()
            if path.withCString({ lstat($0, &file) }) == 0, Int64(file.st_size) < expected {
                throw StoreError.corrupt(
                    path: path.display,
                    detail: "the file is \(file.st_size) bytes, its header says \(expected): cut short")
            }
        }
        let known = Set(migrator.migrations)
        let applied = try database.snapshot { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw StoreError.newerVersion(path: path.display, unknownMigrations: unknown.sorted())
        }
    }

    static func isDiskFull(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_FULL  // SQLite's word for ENOSPC and EDQUOT
    }

    /// Bytes free to this process's user on the state folder's file system.
    public func freeBytes() -> UInt64? {
        var st = statvfs()
        guard path.parent.withCString({ statvfs($0, &st) }) == 0 else { return nil }
        return UInt64(st.f_bavail) * UInt64(st.f_frsize)
    }

    private static func isCorruption(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// Opens an existing store for reading only. Returns nil when there is none yet.
    public init?(readOnly state: AbsolutePath) throws(SystemError) {
        path = state.appending(Self.fileName)
        guard access(path.display, F_OK) == 0 else { return nil }
        lockFD = -1
        var config = GRDB.Configuration()
        config.readonly = true
        config.label = "newsdigest.status"
        // With no -wal beside it no writer is open (the last one to close checkpoints and
        // removes it): read the file as immutable, or SQLite would create -wal and -shm files
        // of the reader's own (root's, say) that the daemon's user could then not open.
        var location = path.display
        if access(path.display + "-wal", F_OK) != 0 {
            var escaped = ""
            for c in path.display {
                switch c {
                case "%": escaped += "%25"
                case "?": escaped += "%3F"
                case "#": escaped += "%23"
                default: escaped.append(c)
                }
            }
            location = "file:" + escaped + "?immutable=1"
        }
        do {
            database = try DatabaseQueue(path: location, configuration: config)
        } catch {
            throw SystemError("open database read-only (\(error))", path: path.display, code: EACCES)
        }
    }

    deinit {
        if lockFD >= 0 { close(lockFD) }
    }

    /// Versioned schema changes: each runs once, in order, inside a transaction.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1: inputs and digest writes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE input (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        day TEXT NOT NULL,
                        file TEXT NOT NULL,
                        device INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        id TEXT NOT NULL,
                        story INTEGER,
                        article BLOB,
                        reason TEXT
                    );
                    CREATE INDEX input_day ON input(day, outcome);
                    CREATE INDEX input_identity ON input(inode, device);
                    CREATE TABLE digest_written (
                        day TEXT PRIMARY KEY,
                        seq INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("2: articles kept decided, lookups by index") { db in
            // The day lives here: one row per article, written in the transaction that commits
            // it, with its decision and the features later decisions and digests read. Existing
            // articles are back-filled from their raw text at the first start (StoreUpgrade).
            // The invariants that "never counted twice" rests on are constraints: a file
            // identity is committed once, an article id (its exact key) exists once.
            try db.execute(
                sql: """
                    CREATE TABLE article (
                        day TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        id TEXT NOT NULL UNIQUE,
                        near_of INTEGER,
                        story INTEGER NOT NULL,
                        file TEXT NOT NULL,
                        title TEXT NOT NULL,
                        source TEXT NOT NULL,
                        published_day INTEGER,
                        exact_key INTEGER NOT NULL,
                        body_words INTEGER NOT NULL,
                        bands BLOB NOT NULL,
                        terms BLOB NOT NULL,
                        lines BLOB NOT NULL,
                        shingles BLOB NOT NULL,
                        sentences BLOB NOT NULL,
                        PRIMARY KEY (day, position)
                    );
                    CREATE TABLE upgrade_pending (day TEXT PRIMARY KEY);
                    INSERT INTO upgrade_pending SELECT DISTINCT day FROM input WHERE outcome IN ('new', 'near_duplicate');
                    DROP INDEX input_identity;
                    CREATE UNIQUE INDEX input_identity ON input(device, inode, size, mtime_ns);
                    """)
        }
        migrator.registerMigration("3: each day's last record") { db in
            // Finding the days whose digest is behind (at every start) then reads a row a day,
            // not every record of the store.
            try db.execute(
                sql: """
                    CREATE TABLE day_last (day TEXT PRIMARY KEY, seq INTEGER NOT NULL);
                    INSERT INTO day_last SELECT day, max(seq) FROM input GROUP BY day;
                    """)
        }
        migrator.registerMigration("4: each story rendered once") { db in
            // A digest rewrite renders only the stories that changed and streams the others
            // from here, best first through the rank index; a restart renders nothing again.
            // `key` says what a rendering was made from (DigestBuilder.storyKey).
            try db.execute(
                sql: """
                    CREATE TABLE story_render (
                        day TEXT NOT NULL,
                        story INTEGER NOT NULL,
                        key INTEGER NOT NULL,
                        sources INTEGER NOT NULL,
                        articles INTEGER NOT NULL,
                        latest INTEGER NOT NULL,
                        id TEXT NOT NULL,
                        json TEXT NOT NULL,
                        markdown TEXT NOT NULL,
                        PRIMARY KEY (day, story)
                    );
                    CREATE INDEX story_render_rank ON story_render(day, sources DESC, articles DESC, latest DESC, id);
                    """)
        }
        migrator.registerMigration("5: story threads") { db in
            // What later days' threads link to: each kept story's thread and topic vector
            // (StoryVector), and what its brief said (the next day's brief prefers what is new).
            // Stories kept before this step have none until rendered again
            // (DigestBuilder.renderingVersion makes every rewritten day render them again).
            try db.execute(
                sql: """
                    ALTER TABLE story_render ADD COLUMN thread TEXT NOT NULL DEFAULT '';
                    ALTER TABLE story_render ADD COLUMN vector BLOB NOT NULL DEFAULT x'';
                    ALTER TABLE story_render ADD COLUMN said BLOB NOT NULL DEFAULT x'';
                    """)
        }
        migrator.registerMigration("6: the HTML digest") { db in
            // Each kept story's HTML (its section of the day's page and its line in the page's
            // contents), as the JSON and Markdown are kept; an article's URL, which the page
            // links (articles stored before this step have none); and what the day's index and
            // feed show of each written day, so they are made without reading any day again.
            try db.execute(
                sql: """
                    ALTER TABLE story_render ADD COLUMN html TEXT NOT NULL DEFAULT '';
                    ALTER TABLE story_render ADD COLUMN toc TEXT NOT NULL DEFAULT '';
                    ALTER TABLE story_render ADD COLUMN headline TEXT NOT NULL DEFAULT '';
                    ALTER TABLE article ADD COLUMN url TEXT;
                    CREATE TABLE day_page (
                        day TEXT PRIMARY KEY,
                        stories INTEGER NOT NULL,
                        articles INTEGER NOT NULL,
                        headlines TEXT NOT NULL,
                        digest_hash INTEGER NOT NULL,
                        changed_at REAL NOT NULL
                    );
                    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("7: the feed's thread entries") { db in
            // For `digest.feed_threads`: each thread entry's content hash and when it last
            // changed, so a feed written again moves an entry's `updated` only when it changed.
            try db.execute(
                sql: """
                    CREATE TABLE feed_thread (
                        thread TEXT PRIMARY KEY,
                        hash INTEGER NOT NULL,
                        changed_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("8: batch files") { db in
            // A batch file (JSON Lines, a JSON array) is committed a chunk of records at a time:
            // each record's identity is the file's and its number, so a batch cut short by a
            // crash is taken up where it stopped and no record counts twice. A file of one
            // article is record 0. `batch` holds the batches read to the end, for the move
            // that follows (and is finished after a crash) as `input` does for single files.
            try db.execute(
                sql: """
                    ALTER TABLE input ADD COLUMN record INTEGER NOT NULL DEFAULT 0;
                    DROP INDEX input_identity;
                    CREATE UNIQUE INDEX input_identity ON input(device, inode, size, mtime_ns, record);
                    CREATE TABLE batch (
                        device INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        day TEXT NOT NULL,
                        file TEXT NOT NULL,
                        records INTEGER NOT NULL,
                        PRIMARY KEY (device, inode, size, mtime_ns)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// The connection's durability settings, as SQLite reports them (tests assert on these).
    public func durability() throws -> (journalMode: String, synchronous: Int) {
        try database.snapshot { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            )
        }
    }

    /// Runs `body` in one write transaction: all of it is stored, or (it threw) none of it.
    /// When this returns, what it wrote is on disk.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try database.write(body)
    }

    /// Appends one record inside a write transaction and returns its sequence number.
    static func insert(_ r: StoredInput, _ db: Database) throws -> Int64 {
        let article = try r.article.map { try Self.articleEncoder.encode($0) }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO input (day, file, device, inode, size, mtime_ns, outcome, id, story, article, reason, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            r.day, r.file, Int64(bitPattern: r.identity.device), Int64(bitPattern: r.identity.inode),
            r.identity.size, r.identity.mtimeNanoseconds, r.outcome.rawValue, r.id, r.story, article, r.reason,
            r.record,
        ])
        let seq = db.lastInsertedRowID
        // Each day's last record, so finding the days whose digest is behind reads a row a
        // day, not every record of the store.
        try db.cachedStatement(
            sql: """
                INSERT INTO day_last (day, seq) VALUES (?, ?)
                ON CONFLICT(day) DO UPDATE SET seq = max(seq, excluded.seq)
                """
        ).execute(arguments: [r.day, seq])
        return seq
    }

    private static var articleEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The committed record of a file identity, if any (through the unique identity index): a
    /// file of one article, or a batch read to its end (its move is what is left to finish).
    public func record(identity: FileIdentity) throws -> StoredInput? {
        try database.snapshot { db in try Self.record(identity: identity, db) ?? Self.batch(identity: identity, db) }
    }

    static func record(identity: FileIdentity, record: Int = 0, _ db: Database) throws -> StoredInput? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT day, file, device, inode, size, mtime_ns, outcome, id, story, reason FROM input
                    WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ? AND record = ?
                    """),
            arguments: identity.arguments + [record]
        ).map { Self.record($0, article: nil, reason: $0[9]) }
    }

    /// A batch read to its end, as the record its move is made from.
    static func batch(identity: FileIdentity, _ db: Database) throws -> StoredInput? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT day, file FROM batch WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ?"),
            arguments: identity.arguments
        ).map {
            let file: String = $0[1]
            return StoredInput(
                day: $0[0], file: file, identity: identity, outcome: .new, id: batchID(file), story: nil,
                article: nil, reason: nil)
        }
    }

    /// The id a batch file's move is prefixed with when its name is taken in the archive.
    static func batchID(_ file: String) -> String { "b" + StableHash.hex(StableHash.string(file), digits: 12) }

    /// Records that the batch of this identity was read to its end, in the transaction of its
    /// last records.
    static func insertBatch(identity: FileIdentity, file: String, day: String, records: Int, _ db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO batch (device, inode, size, mtime_ns, day, file, records) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: identity.arguments + [day, file, records])
    }

    /// The highest record of a batch committed so far (0: none): a batch cut short is taken up
    /// after it (records are committed in order).
    public func committedRecords(identity: FileIdentity) throws -> Int {
        try database.snapshot { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT max(record) FROM input WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ?"),
                arguments: identity.arguments) ?? 0
        }
    }

    /// Rebuilds a day in memory from its stored decisions: compact indexes only, no article text.
    /// A day rebuilt from its stored decisions; with `indexing` false only what showing it needs
    /// (no band keys or topic terms are read, no index is built).
    public func day(_ day: String, options: GroupingOptions, indexing: Bool = true) throws -> DayState {
        try database.snapshot { db in
            var state = DayState(day: day, options: options, indexing: indexing)
            try StoreArchive(db: db).eachRestoredArticle(day: day, features: indexing) { state.restore($0) }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT outcome, file, id, reason FROM input
                    WHERE day = ? AND outcome IN ('exact_duplicate', 'rejected') ORDER BY seq
                    """, arguments: [day])
            while let row = try rows.next() {
                if (row[0] as String) == StoredInput.Outcome.exactDuplicate.rawValue {
                    state.addExactDuplicate(file: row[1], of: row[2])
                } else {
                    state.addRejected(file: row[1], reason: row[3] ?? "rejected")
                }
            }
            return state
        }
    }

    /// The articles, for digests written outside the commit path: on a connection of their
    /// own, read-only, so a digest rewrite reads the last committed state (WAL) without
    /// waiting for the commits that go on meanwhile, nor they for it.
    public func reader() throws -> StoreReader {
        if let readConnection { return StoreReader(database: readConnection) }
        var config = GRDB.Configuration()
        config.readonly = true
        config.label = "newsdigest.digests"
        config.prepareDatabase { db in
            // Its page cache counts in the memory budget too (1 MiB: it reads a batch of rows
            // at a time, each once); mmap stays off (see init).
            try db.execute(sql: "PRAGMA cache_size = -1024")
            try db.execute(sql: "PRAGMA mmap_size = 0")
        }
        let connection = try DatabaseQueue(path: path.display, configuration: config)
        readConnection = connection
        return StoreReader(database: connection)
    }

    private var readConnection: DatabaseQueue?

    /// Folds the write-ahead log into the file and empties it: done at a clean stop, so that an
    /// empty log at the next start says the stop was clean (see `check`).
    public func checkpoint() throws {
        try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    public func lastSequence() throws -> Int64 {
        try database.snapshot { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM input") ?? 0 }
    }

    private static func record(_ row: Row, article: RawArticle?, reason: String?) -> StoredInput {
        let identity = FileIdentity(
            device: UInt64(bitPattern: row[2] as Int64), inode: UInt64(bitPattern: row[3] as Int64),
            size: row[4], mtimeNanoseconds: row[5])
        return StoredInput(
            day: row[0], file: row[1], identity: identity,
            outcome: StoredInput.Outcome(rawValue: row[6]) ?? .rejected, id: row[7], story: row[8],
            article: article, reason: reason)
    }

    /// Days with records committed after their digest was last written (a crash between commit
    /// and digest write), oldest first.
    public func staleDays() throws -> [String] {
        try database.snapshot { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT l.day FROM day_last l LEFT JOIN digest_written w ON w.day = l.day
                    WHERE l.seq > coalesce(w.seq, 0) ORDER BY l.day
                    """)
        }
    }

    /// Records that the digest of `day` now reflects every record up to `seq`.
    public func markWritten(day: String, through seq: Int64) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO digest_written (day, seq) VALUES (?, ?)
                    ON CONFLICT(day) DO UPDATE SET seq = max(seq, excluded.seq)
                    """, arguments: [day, seq])
        }
    }

    public func counts(day: String) throws -> DayCounts {
        try database.snapshot { db in
            var counts = DayCounts(day: day)
            for row in try Row.fetchAll(
                db, sql: "SELECT outcome, count(*) FROM input WHERE day = ? GROUP BY outcome", arguments: [day])
            {
                let n: Int = row[1]
                counts.files += n
                switch StoredInput.Outcome(rawValue: row[0]) {
                case .new: counts.articles += n
                case .nearDuplicate:
                    counts.articles += n
                    counts.nearDuplicates += n
                case .exactDuplicate: counts.exactDuplicates += n
                case .rejected, nil: counts.rejected += n
                }
            }
            counts.stories =
                try Int.fetchOne(
                    db, sql: "SELECT count(DISTINCT story) FROM input WHERE day = ? AND outcome = 'new'",
                    arguments: [day]) ?? 0
            return counts
        }
    }

    public func integrityCheck() throws -> String {
        try database.snapshot { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}
