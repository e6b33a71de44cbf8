import ArgumentParser
import Foundation
import NewsDigest

/// `newsdigest extract FILE`: what newsdigest reads from an HTML page (or any input), printed:
/// to check a scraper's pages before pointing it at the drop folder, and for extraction
/// benchmarks (score_html.py calls it with --format json).
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the article newsdigest reads from an input file (HTML pages above all).",
        discussion: """
            Reads FILE as the daemon would (by its extension: .html/.htm, .txt, .md, .json) and \\
            prints the title, date, URL, site and the main text. For an HTML page it also says \\
            which character set it read. Exits 0, 65 when the file is rejected (the reason on \\
            standard error), 66 when it cannot be read.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "text (headers, a blank line, the text) or json.")
    var format: Format = .text

    @Argument(help: ArgumentHelp("The input file.", valueName: "file"))
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("newsdigest extract: \(file): cannot read it\n".utf8))
            throw ExitCode(66)
        }
        let bytes = Array(data)
        let name = (file as NSString).lastPathComponent
        var encoding: String?
        var author: String?
        var site: String?
        let result: Result<RawArticle, Rejection>
        if ArticleReader.format(ofFileNamed: name) == .html {
            // Read once, as the daemon reads it, keeping what only the page knows.
            result = HTMLArticle.extract(bytes).map { p in
                encoding = p.encoding
                author = p.author
                site = p.site
                return ArticleReader.normalized(
                    RawArticle(title: p.title, text: p.text, source: p.site ?? "unknown", url: p.url, date: p.date))
            }
        } else {
            result = ArticleReader.read(bytes: bytes, fileName: name, folderSource: nil)
        }
        let article: RawArticle
        switch result {
        case .failure(let r):
            FileHandle.standardError.write(Data("newsdigest extract: \(file): \(r.reason)\n".utf8))
            throw ExitCode(65)
        case .success(let a): article = a
        }
        switch format {
        case .json:
            var object: [String: Any] = ["title": article.title, "text": article.text, "source": article.source]
            object["date"] = article.date ?? NSNull()
            object["url"] = article.url ?? NSNull()
            object["author"] = author ?? NSNull()
            object["site"] = site ?? NSNull()
            object["encoding"] = encoding ?? NSNull()
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        case .text:
            var out = "title: \(article.title)\nsource: \(article.source)\n"
            if let d = article.date { out += "date: \(d)\n" }
            if let u = article.url { out += "url: \(u)\n" }
            if let a = author { out += "author: \(a)\n" }
            if let e = encoding { out += "encoding: \(e)\n" }
            print(out + "\n" + article.text)
        }
    }
}
