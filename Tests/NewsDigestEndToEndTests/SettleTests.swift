import Foundation
import GRDB
import Testing

/// A file a scraper is still writing under its final name when a scan finds it (at start, in
/// `once`) is read only once it has settled: the store and the digest hold its whole text.
@Suite(.serialized) struct SettleTests {
    static let head =
        "Harbour cranes idle as dock strike enters second week\n\nDockers at Varno walked out again on Monday."
    static let tail = " The port authority said the last ship had left on Sunday evening without its cargo.\n"

    /// The stored text of `file`, as committed.
    static func storedText(_ ws: Harness.Workspace, _ file: String) throws -> String? {
        var config = GRDB.Configuration()
        config.readonly = true
        let db = try DatabaseQueue(
            path: ws.state.appendingPathComponent("newsdigest.sqlite").path, configuration: config)
        let blob = try db.read { db in
            try Data.fetchOne(db, sql: "SELECT article FROM input WHERE file = ?", arguments: [file])
        }
        return blob.flatMap { String(data: $0, encoding: .utf8) }
    }

    /// A scraper's file under its final name with its first half written, open for the rest.
    static func startWriting(in ws: Harness.Workspace) throws -> FileHandle {
        let url = ws.drop.appendingPathComponent("slow.txt")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(head.utf8)))
        let writer = try FileHandle(forWritingTo: url)
        try writer.seekToEnd()
        return writer
    }

    @Test func aFileStillBeingWrittenAtStartIsReadWhole() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let writer = try Self.startWriting(in: ws)
        let daemon = try DaemonProcess(ws, config: RunWatcherTests.config(ws))
        try daemon.waitUntilWatching()
        usleep(800_000)
        try writer.write(contentsOf: Data(Self.tail.utf8))
        try writer.close()
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: ["slow.txt"], timeout: 20), ["slow.txt"])
        #expect(try daemon.stop().status == 0)
        let stored = try #require(try Self.storedText(ws, "slow.txt"))
        #expect(stored.contains("without its cargo"), "read before the scraper finished: \(stored)")
    }

    @Test func onceWaitsForAFileStillBeingWritten() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let writer = try Self.startWriting(in: ws)
        let config = try Harness.utcConfig(in: ws.root)
        let finished = DispatchSemaphore(value: 0)
        let result = SharedBox<Harness.Result?>(nil)
        DispatchQueue.global().async {
            result.value = try? ws.once(config: config)
            finished.signal()
        }
        usleep(800_000)
        try writer.write(contentsOf: Data(Self.tail.utf8))
        try writer.close()
        finished.wait()
        let run = try #require(result.value)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("input.settle_ms"), "\(run.stderr)")
        let stored = try #require(try Self.storedText(ws, "slow.txt"))
        #expect(stored.contains("without its cargo"), "read before the scraper finished: \(stored)")
    }
}

/// A value shared with a Dispatch block, behind a lock.
final class SharedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
