import Foundation
import Glibc

/// `newsdigest run` started as a real process on a workspace, its standard error in a file.
final class DaemonProcess {
    let process = Process()
    let log: URL
    let workspace: Harness.Workspace

    init(
        _ ws: Harness.Workspace, config: URL? = nil, environment: [String: String] = [:],
        logName: String = "daemon.log",
        launcher: [String] = []
    ) throws {
        workspace = ws
        log = ws.root.appendingPathComponent(logName)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        var args = ["run", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path]
        if let config { args += ["--config", config.path] }
        if launcher.isEmpty {
            process.executableURL = Harness.binary
            process.arguments = args
        } else {
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + [Harness.binary.path] + args
        }
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits until the log shows the start-up scan done (the line printed with READY=1).
    func waitUntilWatching(timeout: Double = 60) throws {
        try Harness.waitFor(timeout: timeout, "the daemon to start:\n\(logText)") {
            logText.contains("watching ") || !process.isRunning
        }
        if !process.isRunning { throw HarnessError("the daemon exited at start:\n\(logText)") }
    }

    func signal(_ s: Int32) { kill(pid, s) }

    /// SIGTERM, then waits for the exit; returns the status and the seconds it took.
    @discardableResult
    func stop(timeout: Double = 30) throws -> (status: Int32, seconds: Double) {
        let started = Date()
        signal(SIGTERM)
        try Harness.waitFor(timeout: timeout, "the daemon to stop") { !process.isRunning }
        return (process.terminationStatus, Date().timeIntervalSince(started))
    }

    func kill9() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension Harness {
    static func waitFor(
        timeout: Double, every interval: Double = 0.05, _ what: @autoclosure () -> String,
        _ condition: () throws -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            usleep(UInt32(interval * 1e6))
        }
        throw HarnessError("timed out after \(timeout) s waiting for \(what())")
    }

    /// A small article of our own; `n` makes it distinct, `story` makes articles share words.
    static func article(_ n: Int, story: Int? = nil) -> String {
        let s = story ?? n
        return """
            Report \(n) on matter \(s)

            Officials in district \(s) said on Tuesday that the plan numbered \(s) would go ahead. \
            The council met \(n) times before the vote, according to item \(n). \
            Residents of district \(s) were told to expect changes within weeks.

            """
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// Runs scripts/make-flood.py: N synthetic articles under `folder`.
    static func flood(into folder: URL, count: Int, seed: Int = 1, prefix: String = "f") throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", packageRoot.appendingPathComponent("scripts/make-flood.py").path, folder.path, "\(count)",
            "--seed", "\(seed)", "--prefix", prefix,
        ]
        try p.run()
        return p
    }

    /// Regular files left under `folder`, relative paths.
    static func files(under folder: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(p).path, isDirectory: &isDir),
                !isDir.boolValue
            {
                out.append(p)
            }
        }
        return out.sorted()
    }
}

extension Harness.Workspace {
    /// Every file in today's digest (articles, exact duplicates, rejections) with its count;
    /// empty while there is no digest yet.
    func accounted() -> [String: Int] {
        guard let files = try? digestFiles("json") else { return [:] }
        var seen: [String: Int] = [:]
        for f in files {
            guard let data = try? Data(contentsOf: f),
                let digest = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { continue }
            for (k, v) in OnceTests.accounted(digest) { seen[k, default: 0] += v }
        }
        return seen
    }

    /// Waits until the digests account for every one of `expected` files, then checks each is
    /// there exactly once and nothing else is.
    func waitForDigest(of expected: Set<String>, timeout: Double) throws -> [String: Int] {
        var seen: [String: Int] = [:]
        // Parsing a large digest is not free: poll less often the more files there are.
        let interval = expected.count > 1000 ? 1.0 : 0.1
        try Harness.waitFor(
            timeout: timeout, every: interval, "\(expected.count) files in the digest (have \(seen.count))"
        ) {
            seen = accounted()
            return expected.isSubset(of: Set(seen.keys))
        }
        return seen
    }
}
