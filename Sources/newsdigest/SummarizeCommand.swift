import ArgumentParser
import Foundation
import Logging
import NewsDigest
import NewsDigestDaemon

struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Summarize the given article files, taken as one story.",
        discussion: """
            With --format text, standard output holds the summary and nothing else: one sentence a \
            line, whole sentences only, never more than the word budget (words counted as \
            whitespace-separated tokens). Files that cannot be used are reported on standard error; \
            the exit status is 0 whenever at least one file was usable.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "At most this many words (default 120, or summary_words from --config).")
    var words: Int?

    @Option(name: .long, help: "At most this many sentences, instead of a word budget.")
    var sentences: Int?

    @Option(name: .long, help: "text: one sentence a line; json: the sentences with the file and source of each.")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("A TOML config file.", valueName: "file"))
    var config: String?

    @Argument(help: ArgumentHelp("Article files (.txt, .md, .json).", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one article file") }
        if words != nil && sentences != nil { throw ValidationError("--words and --sentences exclude each other") }
        if let words, words < 1 { throw ValidationError("--words must be at least 1") }
        if let sentences, sentences < 1 { throw ValidationError("--sentences must be at least 1") }
    }

    func run() throws {
        let logger = CommandLineSupport.makeLogger()
        let configuration = try CommandLineSupport.loadConfiguration(config)
        let budget: SummaryBudget =
            if let sentences { .sentences(sentences) } else if let words { .words(words) } else {
                configuration.summaryBudget
            }
        var articles: [ParsedArticle] = []
        for file in files {
            let path = CommandLineSupport.absolute(file)
            let name = path.lastComponent
            let result = InputFile.read(path, limit: configuration.maxFileBytes).flatMap {
                ArticleReader.read(bytes: $0, fileName: RelativePath(bytes: name).display, folderSource: nil)
            }
            switch result {
            case .success(let raw): articles.append(ArticleAnalyzer.analyze(raw, file: file))
            case .failure(let rejection): logger.warning("\(file): \(rejection.reason)")
            }
        }
        guard !articles.isEmpty else {
            logger.error("no usable article among the \(files.count) file(s)")
            throw ExitCode(ExitStatus.dataError.rawValue)
        }
        let summary = Summarizer().summarize(articles, budget: budget)
        switch format {
        case .text:
            print(summary.map(\.text).joined(separator: "\n"))
        case .json:
            let rows = summary.map {
                ["text": $0.text, "file": articles[$0.article].file, "source": articles[$0.article].source]
            }
            let data = try JSONSerialization.data(
                withJSONObject: ["summary": rows], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
