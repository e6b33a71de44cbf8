import Foundation
import GRDB
import NewsDigest

/// The core's `ArticleArchive` over the store's `article` table, on one connection: inside the
/// commit's write transaction (so a rollback also undoes the rows it recorded), or inside a read
/// for a digest. Each article is one row, written once when it is decided: its decision, what
/// the digest lists, and its features as fixed-width blobs (`FeatureCoding`), so no later
/// decision or digest reads the raw text again.
struct StoreArchive: ArticleArchive {
    let db: Database
    /// The shingles of the articles decided last: a story's candidates are mostly recent, and a
    /// day of many similar texts asks for the same few again and again.
    var recent: ShingleCache?

    func article(day: String, position: Int) throws -> ParsedArticle {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT file, title, source, published_day, exact_key, body_words, terms, sentences, url
                        FROM article WHERE day = ? AND position = ?
                        """), arguments: [day, position])
        else { throw StoreError.missing("article \(position) of \(day)") }
        guard let terms = FeatureCoding.decodeTerms(Self.bytes(row[6])),
            let sentences = FeatureCoding.decodeSentences(Self.bytes(row[7]))
        else { throw StoreError.missing("readable features of article \(position) of \(day)") }
        return ParsedArticle(
            file: row[0], title: row[1], source: row[2], publishedDay: row[3],
            exactKey: UInt64(bitPattern: row[4] as Int64), shingles: [], bandKeys: [], terms: terms,
            sentences: sentences, bodyWords: row[5], url: row[8])
    }

    func containsArticle(id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM article WHERE id = ?"), arguments: [id]) ?? false
    }

    func shingles(day: String, position: Int) throws -> [UInt64] {
        if let kept = recent?.get(day: day, position: position) { return kept }
        let blob = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT shingles FROM article WHERE day = ? AND position = ?"),
            arguments: [day, position])
        guard let blob, let shingles = FeatureCoding.decodeUInt64s(Array(blob)) else {
            throw StoreError.missing("shingles of article \(position) of \(day)")
        }
        recent?.put(shingles, day: day, position: position)
        return shingles
    }

    func record(_ article: ParsedArticle, day: String, position: Int, decision: DayState.Status, story: Int) throws {
        var nearOf: Int?
        if case .nearDuplicate(let of) = decision { nearOf = of }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO article (day, position, id, near_of, story, file, title, source, published_day,
                    exact_key, body_words, bands, terms, lines, shingles, sentences, url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            day, position, article.id, nearOf, story, article.file, article.title, article.source,
            article.publishedDay, Int64(bitPattern: article.exactKey), article.bodyWords,
            Data(FeatureCoding.encode(article.bandKeys)), Data(FeatureCoding.encode(article.terms)),
            Data(FeatureCoding.encode(DayState.distinctLines(article))), Data(FeatureCoding.encode(article.shingles)),
            Data(FeatureCoding.encode(article.sentences)), article.url,
        ])
        recent?.put(article.shingles, day: day, position: position)
    }

    /// The day's articles in commit order, as compact as the day in memory needs them (no
    /// sentences, no shingles), each handed to `body` as it is read: a large day is never
    /// held as a list of them.
    /// Without `features`, band keys and topic terms are neither read nor decoded (empty).
    func eachRestoredArticle(day: String, features: Bool = true, _ body: (DayState.Restored) throws -> Void) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT position, exact_key, near_of, story, source, published_day,
                    \(features ? "bands, terms" : "x'', x''"), lines
                FROM article WHERE day = ? ORDER BY position
                """, arguments: [day])
        var expected = 0
        while let row = try rows.next() {
            let position: Int = row[0]
            guard position == expected, let bands = FeatureCoding.decodeUInt64s(Self.bytes(row[6])),
                let terms = FeatureCoding.decodeTerms(Self.bytes(row[7])),
                let lines = FeatureCoding.decodeUInt64s(Self.bytes(row[8]))
            else { throw StoreError.missing("readable article \(expected) of \(day)") }
            let nearOf: Int? = row[2]
            try body(
                DayState.Restored(
                    exactKey: UInt64(bitPattern: row[1] as Int64), source: row[4], publishedDay: row[5],
                    status: nearOf.map { .nearDuplicate(of: $0) } ?? .new, story: row[3], bandKeys: bands,
                    terms: terms, lines: lines))
            expected += 1
        }
    }

    private static func bytes(_ value: DatabaseValue) -> [UInt8] {
        (Data.fromDatabaseValue(value)).map { Array($0) } ?? []
    }
}

/// The store's articles for a digest written outside the commit path: a batch of stories'
/// articles in one short read, so commits go on between the batches of a long rewrite.
public struct StoreReader: ArticleSource, Sendable {
    let database: DatabaseQueue

    public func article(day: String, position: Int) throws -> ParsedArticle {
        try database.snapshot { db in try StoreArchive(db: db).article(day: day, position: position) }
    }

    public func articles(day: String, positions: [Int]) throws -> [ParsedArticle] {
        try database.snapshot { db in
            let archive = StoreArchive(db: db)
            return try positions.map { try archive.article(day: day, position: $0) }
        }
    }
}

/// A bounded cache of shingles by (day, position), the oldest dropped first once it holds more
/// than `capacity` shingles (8 bytes each). Positions are reused after a rolled-back commit, so
/// the commit's owner clears it then.
final class ShingleCache {
    private struct Key: Hashable {
        let day: String
        let position: Int
    }

    let capacity: Int
    private var entries: [Key: [UInt64]] = [:]
    private var order: [Key] = []
    private var head = 0
    private var held = 0

    init(capacity: Int) { self.capacity = capacity }

    func get(day: String, position: Int) -> [UInt64]? {
        entries[Key(day: day, position: position)]
    }

    func put(_ shingles: [UInt64], day: String, position: Int) {
        let key = Key(day: day, position: position)
        guard entries[key] == nil, shingles.count <= capacity else { return }
        entries[key] = shingles
        order.append(key)
        held += shingles.count
        while held > capacity, head < order.count {
            held -= entries.removeValue(forKey: order[head])?.count ?? 0
            head += 1
        }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    func removeAll() {
        entries = [:]
        order = []
        head = 0
        held = 0
    }
}
