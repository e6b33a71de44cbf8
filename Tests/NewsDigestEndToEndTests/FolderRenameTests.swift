import Foundation
import Glibc
import Testing

/// A watched folder renamed inside the drop folder keeps being heard under its new name (and so
/// do the folders below it); a folder moved out is no longer taken from; moved back in, it is
/// watched and scanned like any new folder.
@Suite(.serialized) struct FolderRenameTests {
    @Test func renamedFoldersKeepBeingWatched() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let fm = FileManager.default
        let daemon = try DaemonProcess(ws, config: RunWatcherTests.config(ws))
        try daemon.waitUntilWatching()
        var expected: Set<String> = []
        func drop(_ path: String, _ n: Int) throws {
            try Harness.write(Harness.article(n), to: ws.drop.appendingPathComponent(path))
            expected.insert(path)
        }

        try fm.createDirectory(at: ws.drop.appendingPathComponent("outlet-a/sub"), withIntermediateDirectories: true)
        try drop("outlet-a/first.txt", 1)
        try drop("outlet-a/sub/first.txt", 2)
        _ = try ws.waitForDigest(of: expected, timeout: 20)

        // Renamed in place: files written afterwards, at both levels, arrive under the new name.
        try fm.moveItem(at: ws.drop.appendingPathComponent("outlet-a"), to: ws.drop.appendingPathComponent("outlet-b"))
        try drop("outlet-b/after.txt", 3)
        try drop("outlet-b/sub/after.txt", 4)
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: expected, timeout: 20), expected)
        // Well after the rename (its scan is long done): only the watch can see these.
        try drop("outlet-b/later.txt", 10)
        try drop("outlet-b/sub/later.txt", 11)
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: expected, timeout: 20), expected)

        // Renamed again, then a folder made inside it.
        try fm.moveItem(at: ws.drop.appendingPathComponent("outlet-b"), to: ws.drop.appendingPathComponent("outlet-c"))
        try fm.createDirectory(at: ws.drop.appendingPathComponent("outlet-c/new"), withIntermediateDirectories: true)
        try drop("outlet-c/new/x.txt", 5)
        try drop("outlet-c/sub/y.txt", 6)
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: expected, timeout: 20), expected)

        // Moved out of the drop folder: nothing in it is taken any more.
        let outside = ws.root.appendingPathComponent("outside")
        try fm.moveItem(at: ws.drop.appendingPathComponent("outlet-c"), to: outside)
        try Harness.write(Harness.article(7), to: outside.appendingPathComponent("sub/left.txt"))
        try drop("marker.txt", 8)
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: expected, timeout: 20), expected)
        usleep(500_000)
        #expect(fm.fileExists(atPath: outside.appendingPathComponent("sub/left.txt").path), "taken from outside")

        // Moved back in under another name: scanned (the file left there) and watched.
        try fm.moveItem(at: outside, to: ws.drop.appendingPathComponent("back"))
        expected.insert("back/sub/left.txt")
        try drop("back/sub/again.txt", 9)
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: expected, timeout: 20), expected)
        try drop("back/sub/later.txt", 12)
        try drop("back/later.txt", 13)
        RunWatcherTests.expectOnce(try ws.waitForDigest(of: expected, timeout: 20), expected)
        #expect(try daemon.stop().status == 0)
    }
}
