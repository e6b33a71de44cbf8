import Foundation
import GRDB
import Glibc
import Testing

/// Faults of the machine, on real files: a full state disk (a small tmpfs), folders and files
/// the daemon may not read, a digest folder it may not write or that vanished, a damaged or
/// newer database, a low descriptor limit. Each shows that nothing was lost or counted twice.
@Suite struct FaultTests {
    static let nobody: uid_t = 65534

    /// Root reads and writes everything, so permission cases run the daemon as nobody then;
    /// any other user is denied by the modes as it is.
    static func unprivileged(_ ws: Harness.Workspace) throws -> [String] {
        guard getuid() == 0 else { return [] }
        try own(ws.root)
        return ["/usr/bin/setpriv", "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups"]
    }

    /// Hands a tree to nobody when running as root (a no-op otherwise).
    static func own(_ url: URL) throws {
        guard getuid() == 0 else { return }
        chown(url.path, nobody, gid_t(nobody))
        for p in FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String] ?? [] {
            lchown(url.appendingPathComponent(p).path, nobody, gid_t(nobody))
        }
    }

    static func write(_ n: Int, _ name: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(name)
        try Harness.write(Harness.article(n), to: url)
        try own(url)
    }

    @Test func unreadableFilesAndFoldersAndAnUnwritableDigestFolder() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer {
            chmod(ws.drop.appendingPathComponent("locked").path, 0o755)
            ws.remove()
        }
        let fm = FileManager.default
        let locked = ws.drop.appendingPathComponent("locked")
        try fm.createDirectory(at: locked, withIntermediateDirectories: false)
        try Self.write(1, "inside.txt", in: locked)
        try Self.write(2, "unreadable.txt", in: ws.drop)
        try Self.write(3, "good.txt", in: ws.drop)
        let config = try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
        let launcher = try Self.unprivileged(ws)
        chmod(locked.path, 0)
        chmod(ws.drop.appendingPathComponent("unreadable.txt").path, 0)
        let daemon = try DaemonProcess(ws, config: config, launcher: launcher)
        try daemon.waitUntilWatching()

        // A file it may not read is rejected with the reason; a folder it may not list waits.
        var seen = try ws.waitForDigest(of: ["good.txt", "unreadable.txt"], timeout: 20)
        let (_, digest) = try ws.digestJSON()
        let reason = digest.rejected.first { $0["file"] as? String == "unreadable.txt" }?["reason"] as? String
        #expect(reason?.contains("Permission denied") == true, "\(reason ?? "not rejected")")
        #expect(seen["locked/inside.txt"] == nil)
        #expect(daemon.logText.contains("cannot list folder locked in the drop folder: Permission denied"))
        #expect(fm.fileExists(atPath: locked.path))

        // Readable again: taken within the retry interval, and watched from then on.
        chmod(locked.path, 0o755)
        _ = try ws.waitForDigest(of: ["locked/inside.txt"], timeout: 45)
        try Self.write(4, "after.txt", in: locked)
        _ = try ws.waitForDigest(of: ["locked/after.txt"], timeout: 10)

        // The digest folder read-only: the old digest stays, the write is retried until it works.
        chmod(ws.digests.path, 0o555)
        try Self.write(5, "while-read-only.txt", in: ws.drop)
        try Harness.waitFor(timeout: 10, "a failed digest write in the log") {
            daemon.logText.contains("the previous one stays, trying again in")
        }
        #expect(ws.accounted()["while-read-only.txt"] == nil)
        chmod(ws.digests.path, 0o755)
        _ = try ws.waitForDigest(of: ["while-read-only.txt"], timeout: 15)
        // The log line follows the write.
        try Harness.waitFor(timeout: 5, "\"written again\" in the log") { daemon.logText.contains("written again") }

        // The digest folder removed: made again at the next write.
        // A rewrite may be under way (its temporary file comes and goes): try until it is gone.
        try Harness.waitFor(timeout: 10, "the digest folder to be removed") {
            (try? fm.removeItem(at: ws.digests)) != nil || !fm.fileExists(atPath: ws.digests.path)
        }
        try Self.write(6, "after-removal.txt", in: ws.drop)
        seen = try ws.waitForDigest(of: ["after-removal.txt"], timeout: 15)
        #expect(seen.count == 6 && seen.values.allSatisfy { $0 == 1 }, "\(seen)")
        #expect(daemon.process.isRunning, "the daemon exited:\n\(daemon.logText)")
        #expect(try daemon.stop().status == 0)
        #expect(try fm.contentsOfDirectory(atPath: ws.drop.path) == ["locked"])
        #expect(try fm.contentsOfDirectory(atPath: locked.path).isEmpty)
    }

    static let canMount =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

    @Test(.enabled(if: canMount, "skipped: needs root (a tmpfs in a mount namespace); CI runs it as root"))
    func fullStateDiskHoldsFilesInTheDropFolderAndRecoversByItself() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        try FileManager.default.createDirectory(at: ws.state, withIntermediateDirectories: true)
        let config = try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
        // The state folder is a 4 MiB tmpfs seen only by the daemon; the test reaches it
        // through /proc/PID/root.
        let daemon = try DaemonProcess(
            ws, config: config, environment: ["STATE_DIR": ws.state.path],
            launcher: [
                "/usr/bin/unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                "mount -t tmpfs -o size=4m tmpfs \"$STATE_DIR\" && exec \"$@\"", "sh",
            ])
        try daemon.waitUntilWatching()
        let state = URL(fileURLWithPath: "/proc/\(daemon.pid)/root" + ws.state.path)
        let before = (1...20).map { "before-\($0).txt" }
        for (i, name) in before.enumerated() { try Self.write(i, name, in: ws.drop) }
        _ = try ws.waitForDigest(of: Set(before), timeout: 20)

        // Fill the disk to the last block.
        let filler = state.appendingPathComponent("filler")
        let fd = open(filler.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0, "cannot create \(filler.path): \(String(cString: strerror(errno)))")
        let block = [UInt8](repeating: 0x55, count: 4096)
        var filled = 0
        while block.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress!, $0.count) }) > 0 { filled += 4096 }
        let fillError = errno
        close(fd)
        #expect(fillError == ENOSPC, "filling stopped with \(String(cString: strerror(fillError)))")

        let during = (1...30).map { "during-\($0).txt" }
        for (i, name) in during.enumerated() { try Self.write(100 + i, name, in: ws.drop) }
        try Harness.waitFor(timeout: 20, "the store to refuse the commit:\n\(daemon.logText)") {
            daemon.logText.contains("store: cannot write")
        }
        usleep(1_500_000)  // a retry or two while still full
        let waiting = Set(try FileManager.default.contentsOfDirectory(atPath: ws.drop.path))
        let committed = ws.accounted()
        // Nothing lost: every file dropped while full is either committed or still waiting.
        for name in during {
            #expect(waiting.contains(name) || committed[name] != nil, "\(name) is neither waiting nor committed")
        }
        #expect(!waiting.isEmpty, "no file was held back")
        #expect(daemon.process.isRunning, "the daemon exited on a full disk:\n\(daemon.logText)")

        try FileManager.default.removeItem(at: filler)
        let seen = try ws.waitForDigest(of: Set(before + during), timeout: 60)
        #expect(seen.count == 50 && seen.values.allSatisfy { $0 == 1 }, "\(seen)")
        try Harness.waitFor(timeout: 20, "the drop folder to empty") {
            (try? FileManager.default.contentsOfDirectory(atPath: ws.drop.path))?.isEmpty == true
        }
        #expect(daemon.logText.contains("store: writable again after"))
        let archived = Harness.files(under: state.appendingPathComponent("archive"))
        #expect(archived.count == 50, "\(archived.count) archived")
        // SQLite resolves the /proc/PID/root link to the host's view: check a copy made at rest.
        let copy = ws.root.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(
                at: state.appendingPathComponent("newsdigest.sqlite" + suffix),
                to: copy.appendingPathComponent("newsdigest.sqlite" + suffix))
        }
        let queue = try DatabaseQueue(path: copy.appendingPathComponent("newsdigest.sqlite").path)
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM input") } == 50)
        try queue.close()
        #expect(try daemon.stop().status == 0)
        print("full state disk: \(filled / 1024) KiB of filler, \(waiting.count) file(s) held in the drop folder")
    }

    /// A state folder with three committed files, made by `once`, and its database's bytes.
    static func committedState() throws -> (Harness.Workspace, URL) {
        let ws = try Harness.Workspace(copying: nil)
        for n in 1...3 { try Harness.write(Harness.article(n), to: ws.drop.appendingPathComponent("a\(n).txt")) }
        let result = try ws.once(config: Harness.utcConfig(in: ws.root))
        #expect(result.status == 0, "\(result.stderr)")
        return (ws, ws.state.appendingPathComponent("newsdigest.sqlite"))
    }

    enum Damage: String, CaseIterable, Sendable {
        case header, truncated, newerVersion
    }

    @Test(arguments: Damage.allCases)
    func aDamagedOrNewerDatabaseIsRefusedAndLeftAsItWas(_ damage: Damage) throws {
        let (ws, db) = try Self.committedState()
        defer { ws.remove() }
        switch damage {
        case .header:
            let h = try FileHandle(forWritingTo: db)
            try h.write(contentsOf: Data("this is not SQLite".utf8))
            try h.close()
        case .truncated:
            let size = try FileManager.default.attributesOfItem(atPath: db.path)[.size] as! Int
            #expect(truncate(db.path, off_t(size / 2 + 100)) == 0)
        case .newerVersion:
            let queue = try DatabaseQueue(path: db.path)
            try queue.write {
                try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('99: from a later version')")
            }
            try queue.close()
        }
        let bytes = try Data(contentsOf: db)
        try Harness.write(Harness.article(9), to: ws.drop.appendingPathComponent("new.txt"))

        let run = try Harness.run([
            "run", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path,
        ])
        #expect(run.status == 65, "\(run.stderr)")
        let said = damage == .newerVersion ? "was written by a newer newsdigest" : "is damaged"
        #expect(run.stderr.contains("state database \(db.path) \(said)"), "\(run.stderr)")
        #expect(try Data(contentsOf: db) == bytes, "the database was changed")
        #expect(FileManager.default.fileExists(atPath: ws.drop.appendingPathComponent("new.txt").path))

        let once = try ws.once()
        #expect(once.status == 65, "\(once.stderr)")
        #expect(try Data(contentsOf: db) == bytes)
    }

    @Test func aBurstUnderALowDescriptorLimit() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let limit = 40
        let daemon = try DaemonProcess(
            ws, config: Harness.utcConfig(in: ws.root),
            launcher: ["/usr/bin/prlimit", "--nofile=\(limit)", "--"])
        try daemon.waitUntilWatching()
        let writer = try Harness.flood(into: ws.drop, count: 5000, seed: 11)
        var most = 0
        while writer.isRunning || !(Harness.files(under: ws.drop).isEmpty) {
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd"))?.count ?? 0
            most = max(most, open)
            if !daemon.process.isRunning { break }
            usleep(20_000)
        }
        #expect(writer.terminationStatus == 0)
        let expected = Set(
            Harness.files(under: ws.state.appendingPathComponent("archive")).map {
                String($0.drop(while: { $0 != "/" }).dropFirst())
            })
        #expect(expected.count == 5000)
        let seen = try ws.waitForDigest(of: expected, timeout: 120)
        #expect(seen.count == 5000 && seen.values.allSatisfy { $0 == 1 })
        #expect(!daemon.logText.contains("Too many open files"), "\(daemon.logText.suffix(2000))")
        #expect(daemon.process.isRunning)
        #expect(try daemon.stop().status == 0)
        print("5000-file burst under RLIMIT_NOFILE=\(limit): at most \(most) descriptors open")
    }
}
