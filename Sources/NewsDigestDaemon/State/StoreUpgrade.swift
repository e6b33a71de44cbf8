import Foundation
import GRDB
import Logging
import NewsDigest

/// A store written before articles were kept decided (schema step 2) holds each article's raw
/// text only. At the first start its days are back-filled, one transaction a day, oldest first:
/// each article is analysed from its stored text and decided again in commit order with the
/// current code, which is what that build showed in its digests, and its row recorded. A crash
/// midway loses nothing: the days not yet done are still listed in `upgrade_pending`.
extension Store {
    /// Days still to back-fill.
    func pendingUpgrade() throws -> [String] {
        try database.snapshot { db in try String.fetchAll(db, sql: "SELECT day FROM upgrade_pending ORDER BY day") }
    }

    /// Back-fills every pending day; logs its progress. Returns the articles back-filled.
    @discardableResult
    /// `progress` hears of each day done ("day D (i of N)"): the daemon keeps systemd's start
    /// timeout from running out meanwhile.
    func upgrade(
        options: GroupingOptions, workers: Int, logger: Logger, progress: ((String) -> Void)? = nil
    ) throws -> Int {
        let days = try pendingUpgrade()
        guard !days.isEmpty else { return 0 }
        logger.notice("store: upgrading \(days.count) day(s) to keep their articles decided (once, at this start)")
        var total = 0
        for (i, day) in days.enumerated() {
            let rows = try database.snapshot { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT seq, file, article FROM input
                        WHERE day = ? AND outcome IN ('new', 'near_duplicate') ORDER BY seq
                        """, arguments: [day])
            }
            let inputs = rows.map { (seq: $0[0] as Int64, file: $0[1] as String, blob: $0[2] as Data?) }
            let parsed = ParallelMap.map(inputs, workers: workers) { input -> ParsedArticle? in
                guard let blob = input.blob, let raw = try? JSONDecoder().decode(RawArticle.self, from: blob) else {
                    return nil
                }
                return ArticleAnalyzer.analyze(raw, file: input.file)
            }
            let changed = try database.write { db -> Int in
                var ledger = Ledger(options: options)
                var archive = StoreArchive(db: db)
                var changed = 0
                for (input, article) in zip(inputs, parsed) {
                    guard let article else {
                        // Nothing to decide from: said as a rejection, so the file is still accounted.
                        try db.execute(
                            sql: "UPDATE input SET outcome = 'rejected', reason = ? WHERE seq = ?",
                            arguments: ["stored text unreadable at upgrade", input.seq])
                        changed += 1
                        continue
                    }
                    switch try ledger.commit(article, day: day, archive: &archive) {
                    case .new(_, let story), .nearDuplicate(_, _, let story):
                        try db.execute(
                            sql: "UPDATE input SET story = ? WHERE seq = ? AND story IS NOT ?",
                            arguments: [story, input.seq, story])
                    case .exactDuplicate(let of):
                        // Its text now hashes like another article's (the exact key changed
                        // between versions): it is shown as the duplicate it now is, once.
                        try db.execute(
                            sql: "UPDATE input SET outcome = 'exact_duplicate', id = ?, story = NULL WHERE seq = ?",
                            arguments: [of, input.seq])
                        changed += 1
                    case .rejected:
                        break
                    }
                }
                try db.execute(sql: "DELETE FROM upgrade_pending WHERE day = ?", arguments: [day])
                return changed
            }
            total += inputs.count
            progress?("day \(day) (\(i + 1) of \(days.count))")
            logger.notice(
                "store: upgraded day \(day) (\(i + 1) of \(days.count)): \(inputs.count) article(s)\(changed > 0 ? ", \(changed) re-accounted" : "")"
            )
        }
        return total
    }
}
