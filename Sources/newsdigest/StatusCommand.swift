import ArgumentParser
import Foundation
import NewsDigestDaemon

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print a day's counts from the store (also while the daemon runs).",
        discussion: """
            Reads STATE/newsdigest.sqlite without writing to it or locking it. Prints one line: \
            "DAY: F files: S stories, A articles (N near duplicates), E exact duplicates, R rejected". \
            Exits 0, or 66 when the state folder has no store yet.
            """
    )

    @OptionGroup var folders: FolderOptions

    @Option(
        name: .long, help: ArgumentHelp("The day, YYYY-MM-DD (default: today in digest.timezone).", valueName: "day"))
    var day: String?

    func validate() throws {
        if let day, day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil {
            throw ValidationError("--day must be YYYY-MM-DD, not \"\(day)\"")
        }
    }

    func run() throws {
        let config = try CommandLineSupport.loadConfiguration(folders.config)
        guard let state = folders.state ?? config.state else {
            throw ValidationError("missing --state (or paths.state in the config)")
        }
        let folder = CommandLineSupport.absolute(state)
        let store: Store?
        do {
            store = try Store(readOnly: folder)
        } catch {
            FileHandle.standardError.write(Data("newsdigest status: \(error)\n".utf8))
            throw ExitCode(ExitStatus.ioError.rawValue)
        }
        guard let store else {
            FileHandle.standardError.write(Data("newsdigest status: no store in \(folder.display) yet\n".utf8))
            throw ExitCode(ExitStatus.noInput.rawValue)
        }
        let day = day ?? DayClock(timeZone: config.resolvedTimeZone()).day()
        let c = try store.counts(day: day)
        print(
            "\(day): \(c.files) files: \(c.stories) stories, \(c.articles) articles (\(c.nearDuplicates) near duplicates), \(c.exactDuplicates) exact duplicates, \(c.rejected) rejected"
        )
    }
}
