import ArgumentParser
import Foundation
import Glibc
import Logging
import NewsDigestDaemon

struct OnceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Process every article file in the drop folder now, write the digests, exit.",
        discussion: """
            Files are taken in path order, recursively; dot-files and partial names (*.tmp, *.part, \
            *.crdownload, *~) are left for later. The state remembers every file it has committed, \
            so running again over the same files counts nothing twice. Exits 0 when every file was \
            handled (a rejected file is handled: it is in the digest with its reason).
            """
    )

    @OptionGroup var folders: FolderOptions

    @Flag(name: .long, help: "Leave the inputs in the drop folder instead of moving them to the state folder.")
    var keepInputs = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Count the files on this day instead of today (backfilling a day).", valueName: "YYYY-MM-DD"))
    var day: String?

    func validate() throws {
        if let day {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            guard day.utf8.count == 10, let date = f.date(from: day), f.string(from: date) == day else {
                throw ValidationError("--day must be a date as YYYY-MM-DD, not '\(day)'")
            }
        }
    }

    func run() throws {
        MallocArenas.limit(MallocArenas.batch, environment: ProcessInfo.processInfo.environment)
        let logger = CommandLineSupport.makeLogger()
        let config = try CommandLineSupport.loadConfiguration(folders.config)
        guard let drop = folders.drop ?? config.drop else {
            throw ValidationError("missing --drop (or paths.drop in the config)")
        }
        guard let state = folders.state ?? config.state else {
            throw ValidationError("missing --state (or paths.state in the config)")
        }
        guard let digests = folders.digests ?? config.digests else {
            throw ValidationError("missing --digests (or paths.digests in the config)")
        }
        var options = BatchRunner.Options(
            drop: CommandLineSupport.absolute(drop), state: CommandLineSupport.absolute(state),
            digests: CommandLineSupport.absolute(digests), keepInputs: keepInputs, configuration: config,
            progress: isatty(2) == 1)
        options.day = day
        let report: BatchRunner.Report
        do {
            report = try BatchRunner(options: options, logger: logger).run()
        } catch let error as StoreError {
            logger.critical("once: \(error)")
            throw ExitCode(ExitStatus.dataError.rawValue)
        } catch {
            logger.error("once: \(error)")
            throw ExitCode(ExitStatus.ioError.rawValue)
        }
        let seconds = String(format: "%.2f", report.seconds)
        let c = report.committed
        logger.info(
            """
            once: \(c.files) new file(s): \(c.articles) articles, \(c.nearDuplicates) near duplicates, \
            \(c.exactDuplicates) exact duplicates, \(c.rejected) rejected; \(c.alreadySeen) seen before; \
            digests for \(report.days.joined(separator: ", ")) in \(seconds) s\
            \(PeakMemory.kibibytes().map { "; peak memory \($0 / 1024) MiB" } ?? "")
            """)
    }
}
