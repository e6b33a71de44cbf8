import Foundation
import Glibc
import Testing

/// The status line through a real rsyslogd: a private one on a socket in the test's folder, and
/// the daemon in a mount namespace whose /dev/log is that socket (never the host's syslog).
@Suite(.serialized) struct SyslogTests {
    static let canRun =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/rsyslogd")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

    @Test(.enabled(if: canRun, "skipped: needs root (a mount namespace) and rsyslogd; CI runs it as root"))
    func eachDigestWriteLogsOneStatusLineWithTheRightCounts() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let t = ws.root.appendingPathComponent("syslog")
        try FileManager.default.createDirectory(at: t.appendingPathComponent("work"), withIntermediateDirectories: true)
        let sock = t.appendingPathComponent("log.sock").path
        let messages = t.appendingPathComponent("messages")
        let conf = t.appendingPathComponent("rsyslog.conf")
        try """
        global(workDirectory="\(t.path)/work")
        module(load="imuxsock" SysSock.Use="off")
        input(type="imuxsock" Socket="\(sock)" CreatePath="on")
        *.* action(type="omfile" file="\(messages.path)" template="RSYSLOG_TraditionalFileFormat")

        """.write(to: conf, atomically: true, encoding: .utf8)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/sbin/rsyslogd")
        check.arguments = ["-N1", "-f", conf.path]
        try check.run()
        check.waitUntilExit()
        try #require(check.terminationStatus == 0, "rsyslogd rejected the test config")
        let rsyslogd = Process()
        rsyslogd.executableURL = URL(fileURLWithPath: "/usr/sbin/rsyslogd")
        rsyslogd.arguments = ["-n", "-f", conf.path, "-i", t.appendingPathComponent("pid").path]
        try rsyslogd.run()
        defer {
            // SIGTERM: rsyslogd can take minutes to drain and stop; nothing of it is needed now.
            kill(rsyslogd.processIdentifier, SIGKILL)
            rsyslogd.waitUntilExit()
        }
        try Harness.waitFor(timeout: 10, "rsyslogd's socket") { FileManager.default.fileExists(atPath: sock) }

        let script = """
            mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 \
            && mknod -m 666 /dev/urandom c 1 9 && ln -s /proc/self/fd /dev/fd && ln -s /proc/self/fd/0 /dev/stdin \
            && ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd/2 /dev/stderr && ln -s "$LOG_SOCKET" /dev/log \
            && exec "$@"
            """
        let config = try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
        let daemon = try DaemonProcess(
            ws, config: config, environment: ["LOG_SOCKET": sock],
            launcher: ["/usr/bin/unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "sh"])
        try daemon.waitUntilWatching()
        try Harness.write(Harness.article(1, story: 1), to: ws.drop.appendingPathComponent("a.txt"))
        try Harness.write(Harness.article(1, story: 1), to: ws.drop.appendingPathComponent("copy.txt"))
        try Harness.write(Harness.article(2, story: 1), to: ws.drop.appendingPathComponent("b.txt"))
        try Harness.write("", to: ws.drop.appendingPathComponent("empty.txt"))
        _ = try ws.waitForDigest(of: ["a.txt", "copy.txt", "b.txt", "empty.txt"], timeout: 30)
        let digest = try ws.digestJSON().object
        let c = digest.counts
        let day = try #require(digest["date"] as? String)
        let expected =
            "newsdigest[\(daemon.pid)]: digest \(day): \(c["stories"] ?? -1) stories, \(c["articles"] ?? -1) articles "
            + "(\(c["exact_duplicates"] ?? -1) exact, \(c["near_duplicates"] ?? -1) near duplicates, \(c["rejected"] ?? -1) rejected) in "
        #expect(c["exact_duplicates"] == 1 && c["rejected"] == 1)
        var text = ""
        try Harness.waitFor(timeout: 10, "the status line in rsyslogd's file:\n\(text)\nexpected: \(expected)") {
            text = (try? String(contentsOf: messages, encoding: .utf8)) ?? ""
            return text.contains(expected)
        }
        let line = try #require(text.split(separator: "\n").last { $0.contains(expected) })
        #expect(line.hasSuffix(" s"), "\(line)")
        #expect(try daemon.stop().status == 0)
    }
}
