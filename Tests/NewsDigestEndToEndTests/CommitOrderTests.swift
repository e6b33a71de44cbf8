import Foundation
import Logging
import NewsDigest
import NewsDigestDaemon
import Testing

/// kill -9 cannot tell a durable commit from one still in the page cache, so the settings and the
/// order that make a crash harmless are asserted directly, on a real store and real folders.
@Suite struct CommitOrderTests {
    @Test func storeIsWALWithFullSync() throws {
        let root = try Harness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try Store(state: AbsolutePath(root.path))
        let (mode, synchronous) = try store.durability()
        #expect(mode == "wal")
        #expect(synchronous == 2, "PRAGMA synchronous is \(synchronous), FULL is 2")
    }

    @Test func commitThenMoveThenFolderSync() throws {
        let root = try Harness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let drop = root.appendingPathComponent("drop")
        try FileManager.default.createDirectory(
            at: drop.appendingPathComponent("wire"), withIntermediateDirectories: true)
        for i in 0..<3 { try Harness.write(Harness.article(i), to: drop.appendingPathComponent("wire/\(i).txt")) }
        try Harness.write("", to: drop.appendingPathComponent("empty.txt"))  // rejected: moved too
        let state = AbsolutePath(root.appendingPathComponent("state").path)
        let committer = try Committer(
            settings: Committer.Settings(
                drop: AbsolutePath(drop.path), state: state, afterIngest: .archive, grouping: GroupingOptions(),
                workers: 1),
            logger: .init(label: "test"))
        let steps = Locked<[Committer.Step]>([])
        let seenAtCommit = Locked<(inDrop: Int, inStore: Int)?>(nil)
        committer.trace = { step in
            steps.mutate { $0.append(step) }
            if case .committed = step {
                // At this point the rows must already be readable by another connection, and
                // no file may have left the drop folder yet.
                let reader = try? Store(readOnly: state)
                let stored = (try? reader?.counts(day: "2026-01-01").files) ?? 0
                seenAtCommit.value = (Harness.files(under: drop).count, stored)
            }
        }
        let scan = try DropScanner.scan(AbsolutePath(drop.path))
        let analyzed = scan.entries.map { Analyzed.analyze($0, drop: AbsolutePath(drop.path), limit: 1 << 20) }
        let report = try committer.commit(analyzed, day: "2026-01-01")
        #expect(report.files == 4)
        #expect(report.rejected == 1)

        let all = steps.value
        #expect(seenAtCommit.value?.inDrop == 4, "a file left the drop folder before the commit")
        #expect(seenAtCommit.value?.inStore == 4, "the commit was not visible to another connection")
        guard case .committed(let files) = all.first else {
            Issue.record("the first step is not the commit: \(all)")
            return
        }
        #expect(files.count == 4)
        let moves = all.indices.filter { if case .moved = all[$0] { return true } else { return false } }
        let syncs = all.indices.filter { if case .synced = all[$0] { return true } else { return false } }
        #expect(moves.count == 4)
        #expect(!syncs.isEmpty)
        #expect((moves.max() ?? 0) < (syncs.min() ?? 0), "a folder was synced before the last move")
        let synced = Set(all.compactMap { if case .synced(let f) = $0 { return f } else { return nil } })
        #expect(synced.contains(drop.appendingPathComponent("wire").path))
        #expect(synced.contains(drop.path), "the drop folder (the rejected file's) was not synced")
        #expect(synced.contains(state.appending("rejected").display))
        #expect(synced.contains(state.appending("archive").appending("2026-01-01").appending("wire").display))
        #expect(Harness.files(under: drop).isEmpty)
    }

    @Test func aCommittedFileStillInTheDropFolderIsMovedNotCountedAgain() throws {
        let root = try Harness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let drop = AbsolutePath(root.appendingPathComponent("drop").path)
        try FileManager.default.createDirectory(atPath: drop.display, withIntermediateDirectories: true)
        try Harness.write(Harness.article(1), to: URL(fileURLWithPath: drop.display + "/a.txt"))
        let state = AbsolutePath(root.appendingPathComponent("state").path)
        let entry = try #require(try DropScanner.scan(drop).entries.first)
        do {
            // Committed with moving off: the state a crash between commit and move leaves.
            let c = try Committer(
                settings: .init(drop: drop, state: state, afterIngest: .keep, grouping: .init(), workers: 1),
                logger: .init(label: "test"))
            _ = try c.commit([Analyzed.analyze(entry, drop: drop, limit: 1 << 20)], day: "2026-01-01")
        }
        let restarted = try Committer(
            settings: .init(drop: drop, state: state, afterIngest: .archive, grouping: .init(), workers: 1),
            logger: .init(label: "test"))
        #expect(try restarted.finishIfCommitted(entry))
        #expect(!FileManager.default.fileExists(atPath: drop.display + "/a.txt"))
        #expect(FileManager.default.fileExists(atPath: state.display + "/archive/2026-01-01/a.txt"))
        let again = try restarted.commit([Analyzed.analyze(entry, drop: drop, limit: 1 << 20)], day: "2026-01-01")
        #expect(again.files == 0 && again.alreadySeen == 1)
        #expect(try restarted.store.counts(day: "2026-01-01").files == 1)
    }
}
