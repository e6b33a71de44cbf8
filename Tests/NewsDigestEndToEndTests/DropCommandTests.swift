import Foundation
import Testing

/// `newsdigest drop` through the real binary: files land whole under new sortable names, in
/// the outlet's subfolder when given, and `once` takes them as articles.
@Suite struct DropCommandTests {
    static let crane = """
        Crane collapses at Port Elsmere
        A container crane collapsed at Port Elsmere on Monday, injuring four dock workers. The harbour authority closed berth 7 while inspectors examined the wreck.
        """

    @Test func filesAndStandardInputLandWholeAndAreRead() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let input = ws.root.appendingPathComponent("crane.txt")
        try Self.crane.write(to: input, atomically: true, encoding: .utf8)

        let first = try Harness.run([
            "drop", "--drop", ws.drop.path, "--source", "harbour-news", input.path, input.path,
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let names = first.stdout.split(separator: "\n").map(String.init)
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasPrefix("harbour-news/") && $0.hasSuffix(".txt") })
        #expect(names == names.sorted() && Set(names).count == 2, "names sort by time and never repeat")
        let shell = try Harness.run(
            [
                "-c",
                "echo 'Norrby library will open on Sundays from next month, the town council said on Tuesday.' | \"$0\" drop --drop \"$1\" --title 'Norrby library opens on Sundays' --url https://example.org/norrby",
                Harness.binary.path, ws.drop.path,
            ], executable: "/bin/sh")
        #expect(shell.status == 0, "\(shell.stderr)")
        let fromStdin = shell.stdout.trimmingCharacters(in: .newlines)
        #expect(fromStdin.hasSuffix(".json") && !fromStdin.contains("/"))

        // Whole, group-writable (the daemon links them into its archive), and no temp file left.
        for name in names {
            let path = ws.drop.appendingPathComponent(name).path
            #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.crane)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o660)
        }
        let all = try FileManager.default.subpathsOfDirectory(atPath: ws.drop.path)
        #expect(!all.contains { ($0 as NSString).lastPathComponent.hasPrefix(".") })

        let once = try ws.once(config: Harness.utcConfig(in: ws.root, extra: "[input]\nsettle_ms = 0\n"))
        #expect(once.status == 0, "\(once.stderr)")
        let (_, digest) = try ws.digestJSON()
        let articles = digest.stories.flatMap(\.articles)
        #expect(Set(articles.map { $0["file"] as? String }) == Set([names[0], fromStdin]))
        #expect(digest.exactDuplicates.map { $0["file"] as? String } == [names[1]])
        #expect(articles.contains { $0["source"] as? String == "harbour-news" })
        #expect(articles.contains { $0["title"] as? String == "Norrby library opens on Sundays" })
    }

    @Test func problemsAreClearErrors() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let input = ws.root.appendingPathComponent("crane.txt")
        try Self.crane.write(to: input, atomically: true, encoding: .utf8)
        let missing = ws.root.appendingPathComponent("no-such-folder").path
        let noFolder = try Harness.run(["drop", "--drop", missing, input.path])
        #expect(noFolder.status == 73)
        #expect(noFolder.stderr.contains("\(missing): no such drop folder"))
        let noFile = try Harness.run(["drop", "--drop", ws.drop.path, ws.root.appendingPathComponent("gone.txt").path])
        #expect(noFile.status == 66)
        #expect(noFile.stderr.contains("gone.txt: cannot read it"))
        let notArticle = try Harness.run(["drop", "--drop", ws.drop.path, "/etc/hostname.pdf"])
        #expect(notArticle.status == 64)
        let badSource = try Harness.run(["drop", "--drop", ws.drop.path, "--source", "../elsewhere", input.path])
        #expect(badSource.status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.drop.path).isEmpty, "nothing was written")
    }
}
