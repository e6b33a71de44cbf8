import Foundation
import Testing

@Suite struct SummarizeCommandTests {
    static var articles: [String] {
        ["coastwire/bridge.txt", "cityherald/commuters.md", "baytimes/bridge-copy.txt"].map {
            Harness.fixtures.appendingPathComponent("drop/" + $0).path
        }
    }

    @Test(arguments: [15, 40, 80, 250])
    func neverExceedsTheWordBudget(_ words: Int) throws {
        let r = try Harness.run(["summarize", "--words", String(words), "--format", "text"] + Self.articles)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        let total = lines.reduce(0) { $0 + $1.split(separator: " ").count }
        #expect(total <= words)
        if words >= 40 { #expect(!lines.isEmpty) }
        // Whole sentences only.
        for line in lines { #expect(line.last == "." || line.last == "\"" || line.last == "!" || line.last == "?") }
        #expect(!r.stdout.contains("SEE ALSO") && !r.stdout.contains("newsletter"))
    }

    @Test func sharedWireSentenceAppearsOnce() throws {
        let r = try Harness.run(["summarize", "--words", "250"] + Self.articles)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let pier = lines.filter { $0.contains("struck a support pier") }
        #expect(pier.count <= 1)
        #expect(Set(lines).count == lines.count)
    }

    @Test func sentenceBudget() throws {
        let r = try Harness.run(["summarize", "--sentences", "2"] + Self.articles)
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n").count == 2)
    }

    @Test func jsonNamesFileAndSource() throws {
        let r = try Harness.run(["summarize", "--words", "60", "--format", "json"] + Self.articles)
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let rows = object?["summary"] as? [[String: String]] ?? []
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { Self.articles.contains($0["file"] ?? "") && !($0["source"] ?? "").isEmpty })
    }

    @Test func oneUsableFileIsEnough() throws {
        let bad = Harness.fixtures.appendingPathComponent("drop/misc/page.html").path
        let r = try Harness.run(["summarize", "--words", "50", bad, Self.articles[0]])
        #expect(r.status == 0)
        #expect(r.stderr.contains("page.html"))
        #expect(!r.stdout.isEmpty)
    }

    @Test func noUsableFileFails() throws {
        let bad = Harness.fixtures.appendingPathComponent("drop/misc/empty.txt").path
        let r = try Harness.run(["summarize", bad])
        #expect(r.status != 0)
        #expect(r.stderr.contains("empty file"))
        #expect(r.stdout.isEmpty)
    }
}
