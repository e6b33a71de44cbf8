import GRDB

extension DatabaseQueue {
    /// A read in one deferred transaction, so it sees one committed state.
    ///
    /// Not GRDB's `read`: that wraps each read in `PRAGMA query_only = 1` and `= 0`, and
    /// SQLite expires every prepared statement of the connection when a flag pragma changes.
    /// Each read then made the next commit, and every cached read, compile its statements
    /// again: a twentieth of `once`, spent in SQLite's parser. Nothing here writes: the
    /// digests' connection is opened read-only, and the store's own reads are plain SELECTs.
    func snapshot<T>(_ body: (Database) throws -> T) throws -> T {
        try unsafeRead { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }
}
