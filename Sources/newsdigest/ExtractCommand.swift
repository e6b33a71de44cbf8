import ArgumentParser
import Foundation
import NewsDigest
import NewsDigestDaemon

/// `newsdigest extract FILE…`: what newsdigest reads from each input (HTML pages above all),
/// printed: for scraper authors checking their output, and for extraction benchmarks, which
/// call it on hundreds of pages in one process (each file's result is the same as alone).
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the article newsdigest reads from each input file (HTML pages above all).",
        discussion: """
            Reads each FILE as the daemon would (by its extension: .html/.htm, .txt, .md, .json) \\
            and prints its title, date, URL, site and main text; for an HTML page also its author \\
            and the character set read. With --format json: one object per file, one per line, \\
            with "file", "title", "text", "date", "site", "url", "author", "encoding", and "error" \\
            (the reason) when the file is rejected. Exits 0 when it printed a result for every \\
            file, rejections included; 66 when a file cannot be opened.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "text (headers, a blank line, the text) or json (one line per file).")
    var format: Format = .text

    @Argument(help: ArgumentHelp("The input files.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file") }
    }

    struct Read {
        var article: RawArticle? = nil
        var error: String? = nil
        var encoding: String? = nil
        var author: String? = nil
        var site: String? = nil
    }

    static func read(_ bytes: [UInt8], name: String) -> Read {
        var out = Read()
        let result: Result<RawArticle, Rejection>
        if ArticleReader.format(ofFileNamed: name) == .html {
            // Read once, as the daemon reads it, keeping what only the page knows.
            result = HTMLArticle.extract(bytes).map { p in
                out.encoding = p.encoding
                out.author = p.author
                out.site = p.site
                return ArticleReader.normalized(HTMLArticle.article(p, fallbackSource: "unknown"))
            }
        } else {
            result = ArticleReader.read(bytes: bytes, fileName: name, folderSource: nil)
        }
        switch result {
        case .failure(let r): out.error = r.reason
        case .success(let a):
            out.article = a
            // A page's site is what it names; another input's is its outlet.
            if out.encoding == nil, a.source != "unknown" { out.site = a.source }
        }
        return out
    }

    /// `date` unless it names a day after tomorrow (`ParsedArticle.believable`).
    static func believed(_ date: String, today: String) -> String? {
        guard let day = DayNumber.parse(date) else { return date }
        return ParsedArticle.believable(published: day, countedOn: today) ? date : nil
    }

    func run() throws {
        let today = DayClock(timeZone: .current).day()
        var unreadable = false
        // Pages are read on every core (a benchmark reads hundreds in one process), a few
        // dozen at a time, and printed in the order they were given.
        var pending: [String] = []
        let workers = ProcessInfo.processInfo.activeProcessorCount
        func flush() throws {
            let reads = ParallelMap.map(pending, workers: workers) { file -> Read? in
                guard let data = FileManager.default.contents(atPath: file) else { return nil }
                return Self.read(Array(data), name: (file as NSString).lastPathComponent)
            }
            for (file, read) in zip(pending, reads) {
                guard let read else {
                    FileHandle.standardError.write(Data("newsdigest extract: \(file): cannot read it\n".utf8))
                    unreadable = true
                    continue
                }
                try emit(read, file: file, record: 0, today: today)
            }
            pending = []
        }
        for file in files {
            let name = (file as NSString).lastPathComponent
            let path = AbsolutePath(file)
            if let layout = BatchFile.layout(ofFileNamed: name, peek: { InputFile.peek(path) }) {
                // Printed in the order given: the files of one article before it first.
                try flush()
                // Read as the daemon reads a batch (BatchFile): a block at a time, a record at a time.
                let config = Configuration()
                let batch: BatchFile
                switch BatchFile.open(
                    path, layout: layout, maxBatchBytes: config.maxBatchBytes, maxRecordBytes: config.maxFileBytes)
                {
                case .failure(let r) where r.kind == .unreadable:
                    FileHandle.standardError.write(Data("newsdigest extract: \(file): cannot read it\n".utf8))
                    unreadable = true
                    continue
                case .failure(let r):
                    try emit(Read(error: r.reason), file: file, record: 0, today: today)
                    continue
                case .success(let opened):
                    batch = opened
                }
                var any = false
                while !batch.atEnd {
                    let pieces: [BatchSplitter.Piece]
                    switch batch.next(64) {
                    case .failure(let r):
                        any = true
                        try emit(Read(error: r.reason), file: file, record: 0, today: today)
                        pieces = []
                    case .success(let p):
                        pieces = p
                    }
                    for piece in pieces {
                        any = true
                        var r = Read()
                        switch piece {
                        case .record(_, let bytes):
                            switch ArticleReader.readRecord(bytes, folderSource: nil) {
                            case .success(let a):
                                r.article = a
                                if a.source != "unknown" { r.site = a.source }
                            case .failure(let e): r.error = e.reason
                            }
                        case .rejected(_, let e): r.error = e.reason
                        }
                        try emit(r, file: file, record: piece.number, today: today)
                    }
                    if pieces.isEmpty { break }
                }
                if !any { try emit(Read(error: "a batch file with no records"), file: file, record: 0, today: today) }
                continue
            }
            pending.append(file)
            if pending.count == Self.parallelFiles { try flush() }
        }
        try flush()
        if unreadable { throw ExitCode(66) }
    }

    /// Files of one article read at once, on every core, printed in their order.
    static let parallelFiles = 64

    /// `s` as a JSON string: quotes, backslashes and control characters escaped, the rest as it is.
    static func jsonString(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 2)
        out.append(0x22)
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    private func emit(_ r: Read, file: String, record: Int, today: String) throws {
        // As the daemon would count it today: a date after tomorrow is not believed.
        let date = r.article?.date.flatMap { Self.believed($0, today: today) }
        switch format {
        case .json:
            // Keys in sorted order, written by hand: Foundation's writer cost a twentieth of
            // a page's time.
            var fields: [(String, String?)] = []
            if let a = r.article {
                fields = [
                    ("author", r.author), ("date", date), ("encoding", r.encoding), ("file", file),
                    ("site", r.site), ("text", a.text), ("title", a.title), ("url", a.url),
                ]
            } else {
                fields = [("error", r.error), ("file", file)]
            }
            var line = "{"
            for (key, value) in fields {
                if line.utf8.count > 1 { line += ", " }
                line += "\"\(key)\": " + (value.map(Self.jsonString) ?? "null")
                if key == "file" && record > 0 { line += ", \"record\": \(record)" }
            }
            FileHandle.standardOutput.write(Data((line + "}\n").utf8))
        case .text:
            let head = "file: \(file)\n" + (record > 0 ? "record: \(record)\n" : "")
            if let e = r.error {
                print(head + "error: \(e)\n")
                return
            }
            let a = r.article!
            var out = head + "title: \(a.title)\nsource: \(a.source)\n"
            if let d = date { out += "date: \(d)\n" }
            if let u = a.url { out += "url: \(u)\n" }
            if let author = r.author { out += "author: \(author)\n" }
            if let e = r.encoding { out += "encoding: \(e)\n" }
            print(out + "\n" + a.text + "\n")
        }
    }
}
