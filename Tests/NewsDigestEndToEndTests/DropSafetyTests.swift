import Foundation
import Glibc
import Testing

/// `newsdigest drop` against a running daemon, the ways scrapers go wrong: many at once, a
/// full disk, a drop killed while it writes. The daemon never reads a partial file, and every
/// drop that completed is in the digest once.
@Suite(.serialized) struct DropSafetyTests {
    static func config(_ ws: Harness.Workspace) throws -> URL {
        try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
    }

    /// Each file of the digest (article, exact duplicate or rejection) with its count.
    static func expectEachOnce(_ seen: [String: Int], _ expected: Set<String>, _ ws: Harness.Workspace) throws {
        #expect(Set(seen.keys) == expected, "missing \(expected.subtracting(seen.keys).sorted().prefix(3))")
        #expect(seen.values.allSatisfy { $0 == 1 }, "counted twice: \(seen.filter { $0.value > 1 }.keys.sorted())")
        #expect(try ws.digestJSON().object.rejected.isEmpty, "a drop was read as a broken file")
    }

    @Test func concurrentDropsFromSeveralProcessesLandOnceEach() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        // Six scrapers, twenty articles each, all at once: three into one outlet's folder (made
        // by whichever comes first), three into the drop folder itself.
        var processes: [(Process, Pipe)] = []
        for p in 0..<6 {
            let script = """
                i=0; while [ $i -lt 20 ]; do
                  printf 'Bulletin %s-%s\\n\\nCouncil item %s of desk %s was read on day %s and filed by clerk %s.\\n' $2 $i $i $2 $i $2 |
                    "$0" drop --drop "$1" ${3:+--source "$3"} - || exit 1
                  i=$((i+1))
                done
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, Harness.binary.path, ws.drop.path, "\(p)", p < 3 ? "wire" : ""]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            processes.append((process, out))
        }
        var names: [String] = []
        for (process, out) in processes {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            names += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(names.count == 120 && Set(names).count == 120, "every drop got a name of its own")
        #expect(names.filter { $0.hasPrefix("wire/") }.count == 60)
        let seen = try ws.waitForDigest(of: Set(names), timeout: 60)
        try Self.expectEachOnce(seen, Set(names), ws)
        try daemon.stop()
    }

    @Test func aDropKilledWhileWritingIsNeverReadHalfWritten() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        // Large inputs (about 300 KB), each drop killed with SIGKILL after 0 to 40 ms: some die
        // before writing, some while writing or syncing (a dot-file stays), some after.
        var sizes: [Int: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        for n in 0..<24 {
            let body = String(
                repeating: "Officials in district \(n) said the works would go on through the winter. ", count: 4000)
            let text = "Works report \(n)\n\n\(body)\n"
            let input = ws.root.appendingPathComponent("input-\(n).txt")
            try Harness.write(text, to: input)
            sizes[n] = text.utf8.count
            let process = Process()
            process.executableURL = Harness.binary
            process.arguments = ["drop", "--drop", ws.drop.path, input.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...40_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // A drop that completes: the daemon is still taking files.
        let done = try Harness.run(
            [
                "-c",
                "printf 'Final report\\n\\nThe works ended on Friday, the council said.\\n' | \"$0\" drop --drop \"$1\" -",
                Harness.binary.path, ws.drop.path,
            ], executable: "/bin/sh")
        #expect(done.status == 0, "\(done.stderr)")
        let finalName = done.stdout.trimmingCharacters(in: .newlines)

        // Completed drops are the files under final names: in the drop folder still, or already
        // in the archive. Dot-files are unfinished ones: never inputs.
        let archive = ws.state.appendingPathComponent("archive")
        try Harness.waitFor(timeout: 30, "the drop folder to hold no final names") {
            Harness.files(under: ws.drop).allSatisfy { ($0 as NSString).lastPathComponent.hasPrefix(".") }
        }
        let archived = Harness.files(under: archive).filter { !($0 as NSString).lastPathComponent.hasPrefix(".") }
        let completed = Set(archived.map { ($0 as NSString).lastPathComponent })
        #expect(completed.contains(finalName))
        let seen = try ws.waitForDigest(of: completed, timeout: 30)
        try Self.expectEachOnce(seen, completed, ws)
        // Whole: each archived drop has all of its input's bytes.
        for path in archived where !path.hasSuffix(finalName) {
            let bytes = try Data(contentsOf: archive.appendingPathComponent(path))
            let n = Int(
                String(decoding: bytes.prefix(20), as: UTF8.self).split(separator: " ")[2]
                    .prefix { $0.isNumber })
            #expect(n != nil && bytes.count == sizes[n!], "\(path): \(bytes.count) bytes")
        }
        try daemon.stop()
    }

    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs as the full disk"))
    func aDropIntoAFullDiskFailsCleanlyAndTheNextOneLands() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let disk = ws.root.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = try Harness.run(["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.path], executable: "/bin/mount")
        try #require(mount.status == 0, "mount: \(mount.stderr)")
        defer { _ = try? Harness.run([disk.path], executable: "/bin/umount") }
        let drop = disk.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        // A dot-file fills the disk: the daemon never takes dot-files as inputs.
        let fill = try Harness.run(
            ["if=/dev/zero", "of=\(drop.path)/.filler", "bs=4k"], executable: "/bin/dd")
        #expect(fill.status != 0, "dd should have filled the disk")
        // The daemon watches the small disk; its state and digests are on the big one.
        let config = try Self.config(ws)
        let process = Process()
        process.executableURL = Harness.binary
        process.arguments = [
            "run", "--drop", drop.path, "--state", ws.state.path, "--digests", ws.digests.path, "--config", config.path,
        ]
        let log = ws.root.appendingPathComponent("full.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try Harness.waitFor(timeout: 30, "the daemon to watch the small disk") {
            (try? String(contentsOf: log, encoding: .utf8))?.contains("watching ") ?? false
        }

        let article = String(repeating: "The harbour works will go on through the winter, the port said. ", count: 200)
        let input = ws.root.appendingPathComponent("harbour.txt")
        try Harness.write("Harbour works go on\n\n\(article)\n", to: input)
        let full = try Harness.run(["drop", "--drop", drop.path, input.path])
        #expect(full.status == 73, "a drop into a full disk exits 73 (EX_CANTCREAT)")
        #expect(full.stderr.contains("No space left on device"), "\(full.stderr)")
        #expect(full.stdout.isEmpty, "no name printed for a drop that did not land")
        let left = try FileManager.default.contentsOfDirectory(atPath: drop.path)
        #expect(left == [".filler"], "nothing left behind by the failed drop: \(left)")

        try FileManager.default.removeItem(at: drop.appendingPathComponent(".filler"))
        let landed = try Harness.run(["drop", "--drop", drop.path, input.path])
        #expect(landed.status == 0, "\(landed.stderr)")
        let name = landed.stdout.trimmingCharacters(in: .newlines)
        let seen = try ws.waitForDigest(of: [name], timeout: 30)
        try Self.expectEachOnce(seen, [name], ws)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
