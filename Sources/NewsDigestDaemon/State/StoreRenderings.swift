import Foundation
import GRDB
import NewsDigest

/// The core's `RenderedStories` over the store's `story_render` table. Reads go through the
/// digest's read-only connection; saves through `save`, which runs on the store's own (writing)
/// connection wherever its owner runs it: the daemon hands it to the store's queue, `once`
/// runs it in place.
public struct StoreRenderings: RenderedStories, Sendable {
    let reader: DatabaseQueue
    let saver: @Sendable (String, [RenderedStory], [Int]) throws -> Void

    public func keys(day: String) throws -> [Int: UInt64] {
        try reader.read { db in
            var out: [Int: UInt64] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT story, key FROM story_render WHERE day = ?", arguments: [day])
            while let row = try rows.next() { out[row[0]] = UInt64(bitPattern: row[1] as Int64) }
            return out
        }
    }

    public func save(day: String, _ stories: [RenderedStory], removed: [Int]) throws {
        try saver(day, stories, removed)
    }

    public func eachRanked(day: String, _ part: RenderedStory.Part, _ body: (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        let column = part == .json ? "json" : "markdown"
        // The rank index gives the order StoryRank defines (ids are ASCII: BINARY order is
        // String order), so the day is never sorted, nor held, here.
        try reader.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(column) FROM story_render WHERE day = ?
                    ORDER BY sources DESC, articles DESC, latest DESC, id
                    """, arguments: [day])
            // The text's bytes where SQLite holds them: no String is made, nor checked again.
            while let row = try rows.next() {
                try row.withUnsafeData(atIndex: 0) { data in
                    guard let data else { return }
                    try data.withUnsafeBytes { try body($0) }
                }
            }
        }
    }

    public func traces(from: String, before: String) throws -> [StoryTrace] {
        try reader.read { db in
            var out: [StoryTrace] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT day, story, thread, vector FROM story_render
                    WHERE day >= ? AND day < ? AND thread != ''
                    ORDER BY day, story
                    """, arguments: [from, before])
            while let row = try rows.next() {
                // A vector that does not decode (no build of ours wrote it) links to nothing.
                let vector = FeatureCoding.decodeTerms(Array(row[3] as Data)) ?? []
                out.append(StoryTrace(day: row[0], story: row[1], thread: row[2], vector: vector))
            }
            return out
        }
    }

    public func signature(from: String, before: String) throws -> UInt64 {
        try reader.read { db in
            var h: UInt64 = 0
            let rows = try Row.fetchCursor(
                db, sql: "SELECT story, key FROM story_render WHERE day >= ? AND day < ? ORDER BY day, story",
                arguments: [from, before])
            while let row = try rows.next() {
                h = StableHash.combine(
                    StableHash.combine(h, UInt64(row[0] as Int)), UInt64(bitPattern: row[1] as Int64))
            }
            return h
        }
    }

    public func said(day: String, story: Int) throws -> [[UInt64]] {
        try reader.read { db in
            let data = try Data.fetchOne(
                db, sql: "SELECT said FROM story_render WHERE day = ? AND story = ?", arguments: [day, story])
            return data.flatMap { FeatureCoding.decodeLists(Array($0)) } ?? []
        }
    }
}

extension Store {
    /// Kept renderings, read on the digest connection, saved on this one by `save`.
    public func renderings(save: @escaping @Sendable (String, [RenderedStory], [Int]) throws -> Void) throws
        -> StoreRenderings
    {
        StoreRenderings(reader: try reader().database, saver: save)
    }

    /// Keeps stories' renderings, replacing their earlier ones, and forgets `removed`, in one
    /// transaction.
    public func saveRenderings(day: String, _ stories: [RenderedStory], removed: [Int]) throws {
        try database.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO story_render
                        (day, story, key, sources, articles, latest, id, json, markdown, thread, vector, said)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(day, story) DO UPDATE SET key = excluded.key, sources = excluded.sources,
                        articles = excluded.articles, latest = excluded.latest, id = excluded.id,
                        json = excluded.json, markdown = excluded.markdown, thread = excluded.thread,
                        vector = excluded.vector, said = excluded.said
                    """)
            for s in stories {
                try upsert.execute(arguments: [
                    day, s.story, Int64(bitPattern: s.key), s.rank.sources, s.rank.articles, s.rank.latest, s.rank.id,
                    s.json, s.markdown, s.thread, Data(FeatureCoding.encode(s.vector)),
                    Data(FeatureCoding.encode(lists: s.said)),
                ])
            }
            let delete = try db.cachedStatement(sql: "DELETE FROM story_render WHERE day = ? AND story = ?")
            for r in removed { try delete.execute(arguments: [day, r]) }
        }
    }
}
