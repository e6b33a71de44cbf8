import Foundation
import Glibc
import Testing

/// A kill -9 between the link into the archive and the unlink from the drop folder leaves the
/// file under both names. The next start finishes the move by removing the drop name only: the
/// archive keeps each input once, under one name.
@Suite struct MoveRedoTests {
    static let day = "2026-03-02"

    func once(_ ws: Harness.Workspace, config: URL, keep: Bool = false) throws -> Harness.Result {
        var args = [
            "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path, "--config",
            config.path, "--day", Self.day,
        ]
        if keep { args.append("--keep-inputs") }
        return try Harness.run(args)
    }

    @Test func aMoveCutShortAfterTheLinkIsFinishedWithoutASecondName() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root)
        try FileManager.default.createDirectory(
            at: ws.drop.appendingPathComponent("herald"), withIntermediateDirectories: true)
        try Harness.write(Harness.article(1), to: ws.drop.appendingPathComponent("herald/a.txt"))
        try Harness.write(Harness.article(2), to: ws.drop.appendingPathComponent("b.txt"))
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 1, 2]).write(to: ws.drop.appendingPathComponent("c.txt"))
        #expect(try once(ws, config: config, keep: true).status == 0)

        // What a kill between link() and unlink() leaves: each file also under its final name.
        let archive = ws.state.appendingPathComponent("archive/\(Self.day)")
        let rejected = ws.state.appendingPathComponent("rejected")
        try FileManager.default.createDirectory(
            at: archive.appendingPathComponent("herald"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: rejected, withIntermediateDirectories: true)
        for (from, to) in [
            ("herald/a.txt", archive.appendingPathComponent("herald/a.txt")),
            ("b.txt", archive.appendingPathComponent("b.txt")),
            ("c.txt", rejected.appendingPathComponent("c.txt")),
        ] {
            #expect(link(ws.drop.appendingPathComponent(from).path, to.path) == 0)
        }

        for _ in 0..<2 {
            let result = try once(ws, config: config)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Harness.files(under: ws.drop).isEmpty, "drop names left")
            #expect(Harness.files(under: archive) == ["b.txt", "herald/a.txt"])
            #expect(Harness.files(under: rejected) == ["c.txt", "c.txt.reason"])
            let digest = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: ws.digests.appendingPathComponent("\(Self.day).json"))) as? [String: Any])
            #expect(digest.counts["files"] == 3)
        }
    }
}
