import Foundation
import Testing

@Suite struct StatusCommandTests {
    @Test func readsTheStoreAndLeavesNoFilesBehind() throws {
        let ws = try Harness.Workspace(copying: Harness.seeds)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root)
        #expect(try ws.once(config: config).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: ws.state.path).sorted()
        let result = try Harness.run(["status", "--state", ws.state.path, "--config", config.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(": 5 files: 1 stories, 5 articles"), "\(result.stdout)")
        let after = try FileManager.default.contentsOfDirectory(atPath: ws.state.path).sorted()
        #expect(before == after, "status wrote into the state folder")
    }

    @Test func saysSoWhenThereIsNoStoreYet() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let result = try Harness.run(["status", "--state", ws.state.path])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no store in"))
    }
}
