import ArgumentParser
import Foundation
import Logging
import NewsDigestDaemon

@main
struct NewsDigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsdigest",
        abstract: "Turn a folder of dropped news articles into one digest a day.",
        discussion: """
            Scrapers drop article files (.txt, .md, .json) into a drop folder. newsdigest drops exact \
            and near duplicates, groups the articles that report the same story, summarizes each \
            story from the sentences its outlets agree on, and keeps DIGESTS/YYYY-MM-DD.md (for \
            people) and DIGESTS/YYYY-MM-DD.json (for programs).

            Every input ends exactly once in the day's digest: as an article of a story, as an \
            exact duplicate, or as a rejection with its reason. Inputs leave the drop folder only \
            after their outcome is on disk: to STATE/archive/DAY/, or to STATE/rejected/ with a \
            .reason file beside them.
            """,
        version: NewsDigestVersion.string,
        subcommands: [
            RunCommand.self, OnceCommand.self, StatusCommand.self, DropCommand.self, SummarizeCommand.self,
            ExtractCommand.self,
            CheckConfigCommand.self,
        ]
    )
}

/// The folders every command that touches state agrees on.
struct FolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The folder scrapers drop article files into.", valueName: "dir"))
    var drop: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where newsdigest keeps its store (newsdigest.sqlite), archive and rejected files.", valueName: "dir"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("Where the daily digests are written.", valueName: "dir"))
    var digests: String?

    @Option(name: .long, help: ArgumentHelp("A TOML config file (see config/newsdigest.toml).", valueName: "file"))
    var config: String?
}

enum CommandLineSupport {
    /// Logs go to standard error; a daemon's syslog line is separate and comes with `run`.
    static func makeLogger() -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["NEWSDIGEST_DEBUG"] != nil ? .debug : .info
            return handler
        }
        return Logger(label: "newsdigest")
    }

    static func absolute(_ path: String) -> AbsolutePath {
        var p = path
        if !p.hasPrefix("/") { p = FileManager.default.currentDirectoryPath + "/" + p }
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return AbsolutePath(p)
    }

    static func loadConfiguration(_ path: String?) throws -> Configuration {
        guard let path else { return Configuration() }
        do {
            return try ConfigurationFile.load(path: path)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
