import ArgumentParser
import Foundation
import Glibc
import NewsDigestDaemon

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the drop folder and keep today's digest current (the daemon, in the foreground).",
        discussion: """
            Takes what is already in the drop folder, then every file closed after writing or moved \
            in, at once (inotify). Each file is committed to STATE/newsdigest.sqlite before it leaves \
            the drop folder, so a crash or kill at any moment loses nothing and counts nothing twice. \
            A day's digest is rewritten a moment after it changes (daemon.digest_delay_ms), and each \
            write logs one line to syslog: "digest DAY: S stories, A articles (E exact, N near \
            duplicates, R rejected) in T s". Other messages go to standard error.

            Signals: SIGTERM or SIGINT finish the files in hand, write the digests and exit 0; SIGHUP \
            re-reads the config file (a bad one is reported and the running one kept). Under systemd \
            (Type=notify) it reports READY=1 after the start-up scan, STATUS= after each digest, and \
            pings WatchdogSec= only while the watcher is alive.

            Exit status: 0 after SIGTERM/SIGINT; 64 usage; 66 the drop folder is missing or was \
            removed while running; 70 the watcher failed; 74 an I/O error in the store or a folder; \
            78 a bad config file or folders that overlap.
            """
    )

    @OptionGroup var folders: FolderOptions

    func run() throws {
        MallocArenas.limit(MallocArenas.daemon, environment: ProcessInfo.processInfo.environment)
        // Before any thread exists, so that every thread inherits the mask.
        Signals.blockControlSignals()
        let logger = CommandLineSupport.makeLogger()
        let config: Configuration
        do {
            config = try CommandLineSupport.loadConfiguration(folders.config)
        } catch {
            logger.error("\(error)")
            throw ExitCode(ExitStatus.config.rawValue)
        }
        guard let drop = folders.drop ?? config.drop, let state = folders.state ?? config.state,
            let digests = folders.digests ?? config.digests
        else {
            throw ValidationError("--drop, --state and --digests (or [paths] in the config) are all needed")
        }
        let daemon = Daemon(
            options: Daemon.Options(
                drop: CommandLineSupport.absolute(drop), state: CommandLineSupport.absolute(state),
                digests: CommandLineSupport.absolute(digests), configPath: folders.config, configuration: config,
                environment: ProcessInfo.processInfo.environment),
            logger: logger)
        let status = daemon.run()
        fflush(nil)
        Glibc.exit(status.rawValue)
    }
}
