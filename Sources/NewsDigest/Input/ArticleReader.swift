import Foundation

/// Turns the bytes of one dropped file into a `RawArticle`, or says why it cannot.
///
/// Pure: the caller has already read the file (and checked its size); this only looks at the
/// bytes and the file's name, so it can be tested, fuzzed and replayed without a file system.
public enum ArticleReader {
    public enum Format: Sendable, Equatable {
        case text, json, html
        /// `.jsonl` / `.ndjson`: a batch of records, one per line (`BatchSplitter`). A `.json`
        /// file holding an array is a batch too, told apart by its first byte.
        case jsonLines
        case unsupported(String)
    }

    public static func format(ofFileNamed name: String) -> Format {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .text }
        let ext = name[name.index(after: dot)...].lowercased()
        switch ext {
        case "txt", "text", "md", "markdown": return .text
        case "json": return .json
        case "jsonl", "ndjson": return .jsonLines
        case "html", "htm", "xhtml": return .html
        default: return .unsupported(ext)
        }
    }

    /// - Parameters:
    ///   - fileName: the file's own name (its extension picks the reader).
    ///   - folderSource: the name of the subfolder directly under the drop folder, if any: the
    ///     outlet, for scrapers that write into `drop/SOURCE/`.
    ///   - maxHTMLBytes: `input.max_html_bytes`: a larger page is rejected before it is parsed.
    public static func read(
        bytes: [UInt8], fileName: String, folderSource: String?, maxHTMLBytes: Int = defaultMaxHTMLBytes
    ) -> Result<RawArticle, Rejection> {
        let fallbackSource = folderSource.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        switch format(ofFileNamed: fileName) {
        case .html:
            guard bytes.count <= maxHTMLBytes else {
                return .failure(
                    Rejection(
                        .size,
                        "HTML page too large: \(bytes.count) bytes, the limit is \(maxHTMLBytes) (input.max_html_bytes)"
                    ))
            }
            return HTMLArticle.read(bytes, fallbackSource: fallbackSource).map(normalized)
        case .unsupported(let ext):
            return .failure(
                Rejection(.type, "unsupported file type '.\(ext)': expected .txt, .md, .json, .jsonl or .html"))
        case .jsonLines:
            // Reached only by a caller that did not split the batch; its records are read by `readRecord`.
            return .failure(Rejection(.type, "a batch of records (JSON Lines): read record by record"))
        case .json:
            if BatchSplitter.opensArray(bytes) {
                return .failure(Rejection(.type, "a batch of records (a JSON array): read record by record"))
            }
            return TextDecoding.decode(bytes).flatMap { d in
                readJSON(d.text, fallbackSource: fallbackSource, maxHTMLBytes: maxHTMLBytes).map {
                    $0.decoded(from: d.encoding)
                }
            }
        case .text:
            return TextDecoding.decode(bytes).flatMap { d in
                readText(d.text, fallbackSource: fallbackSource).map { $0.decoded(from: d.encoding) }
            }
        }
    }

    /// One record of a batch file (`BatchSplitter`): read as a `.json` file of one article is.
    public static func readRecord(
        _ bytes: [UInt8], folderSource: String?, maxHTMLBytes: Int = defaultMaxHTMLBytes
    ) -> Result<RawArticle, Rejection> {
        let fallbackSource = folderSource.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        return TextDecoding.decode(bytes).flatMap { d in
            readJSON(d.text, fallbackSource: fallbackSource, maxHTMLBytes: maxHTMLBytes).map {
                $0.decoded(from: d.encoding)
            }
        }
    }

    // MARK: - Plain text and Markdown

    static func readText(_ text: String, fallbackSource: String) -> Result<RawArticle, Rejection> {
        let normalized = TextNormalizer.normalize(text)
        var lines = normalized.lines(omittingEmpty: false)
        while let first = lines.first, first.allSatisfy({ $0 == " " }) { lines.removeFirst() }
        guard let first = lines.first else {
            return .failure(Rejection(.empty, "no text: the file holds only white space"))
        }
        let firstLine = stripMarkdownHeading(String(first))
        var title = ""
        if looksLikeHeadline(firstLine) {
            title = firstLine
            lines.removeFirst()
        }
        let body = lines.map { stripMarkdownHeading(String($0)) }.joined(separator: "\n")
            .trimmingSpacesAndLineEnds()
        return .success(RawArticle(title: title, text: body, source: fallbackSource))
    }

    /// A headline is short and does not end as a sentence does; two of every five scraped files
    /// start straight with their first paragraph, and that paragraph must stay body text.
    public static func looksLikeHeadline(_ line: String) -> Bool {
        let words = Tokenizer.budgetWords(line)
        guard words > 0, words <= 18, line.utf8.count <= 200 else { return false }
        var end = Substring(line)
        while let last = end.last, last == "\"" || last == "'" || last == ")" || last == " " { end.removeLast() }
        guard let last = end.last else { return false }
        if last == "." || last == "!" || last == ":" || last == ";" || last == "," { return false }
        if last == "?" { return words <= 14 }
        return true
    }

    private static func stripMarkdownHeading(_ line: String) -> String {
        guard line.hasPrefix("#") else { return line }
        let stripped = line.drop(while: { $0 == "#" })
        guard stripped.first == " " else { return line }
        return String(stripped.dropFirst())
    }

    // MARK: - JSON

    // The fields of a scraper's own JSON and of the extractors people run, first found wins:
    //   trafilatura --json: title, text, date, source (the page URL), source-hostname (the site),
    //     hostname (the domain);
    //   news-please: title, maintext, date_publish, url, source_domain;
    //   newspaper: title, text, publish_date, url / canonical_link, meta_site_name.
    // The outlet is a site name or a host, never a URL: a `source` that is a URL is the
    // article's URL, and the URL's host is the outlet when nothing better names it.
    private static let titleKeys = ["title", "headline"]
    private static let textKeys = ["text", "maintext", "body", "content"]
    private static let sourceKeys = [
        "source-hostname", "site_name", "meta_site_name", "outlet", "source", "source_domain", "hostname",
    ]
    private static let dateKeys = [
        "date", "date_publish", "publish_date", "published", "published_at", "datePublished",
    ]
    private static let urlKeys = ["url", "link", "canonical_url", "canonical_link"]

    static func isURL(_ s: String) -> Bool {
        let lower = s.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// "news.example.org" of "https://news.example.org/a/b".
    /// Also the feed's tag authority (`digest.base_url`): user info and port are left out.
    public static func host(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let hostPort = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = hostPort.split(separator: "@").last.map { $0.prefix { $0 != ":" } } ?? ""
        return host.isEmpty ? nil : String(host)
    }

    /// The outlet a record names (never a URL) and its URL, by the rules above; the caller
    /// falls back to the URL's host when no outlet is named.
    static func outletAndURL(_ dict: [String: Any]) -> (named: String?, url: String?) {
        let values = sourceKeys.compactMap { (dict[$0] as? String).map(TextNormalizer.normalize) }.filter {
            !$0.isEmpty
        }
        let url = urlKeys.lazy.compactMap { dict[$0] as? String }.first { !$0.isEmpty } ?? values.first(where: isURL)
        return (values.first { !isURL($0) }, url)
    }

    /// Pages over this are rejected unparsed: 2 MiB holds any article page's HTML many times.
    public static let defaultMaxHTMLBytes = 2 * 1024 * 1024

    public static func normalized(_ a: RawArticle) -> RawArticle {
        var out = a
        out.title = TextNormalizer.normalize(a.title).replacingNewlines()
        out.text = TextNormalizer.normalize(a.text)
        out.source = TextNormalizer.normalize(a.source)
        return out
    }

    static func readJSON(
        _ text: String, fallbackSource: String, maxHTMLBytes: Int = defaultMaxHTMLBytes
    ) -> Result<RawArticle, Rejection> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            return .failure(Rejection(.json, "invalid JSON: \(describe(error))"))
        }
        guard let dict = object as? [String: Any] else {
            return .failure(Rejection(.json, "JSON of the wrong shape: expected an object with \"title\" and \"text\""))
        }
        var fields: [String: String] = [:]
        // A crawler's record with the page itself: the page is read as an .html file would be,
        // and the record's own title, source, date and URL, when it has them, win.
        if textKeys.allSatisfy({ dict[$0] == nil }), let html = dict["html"] as? String {
            guard html.utf8.count <= maxHTMLBytes else {
                return .failure(Rejection(.size, "the JSON's \"html\" is over input.max_html_bytes (\(maxHTMLBytes))"))
            }
            switch HTMLArticle.read(Array(html.utf8), fallbackSource: fallbackSource) {
            case .failure(let r): return .failure(r)
            case .success(var page):
                if let t = titleKeys.lazy.compactMap({ dict[$0] as? String }).first, !t.isEmpty { page.title = t }
                if let d = dateKeys.lazy.compactMap({ dict[$0] as? String }).first, !d.isEmpty { page.date = d }
                let (named, url) = outletAndURL(dict)
                if let url { page.url = url }
                // The record's own outlet wins; a host taken from its URL only when the page names none.
                if let named {
                    page.source = named
                } else if page.source == fallbackSource, let h = url.flatMap(host) {
                    page.source = h
                }
                return .success(normalized(page))
            }
        }
        for (group, keys) in [("title", titleKeys), ("text", textKeys), ("date", dateKeys)] {
            for key in keys {
                guard let value = dict[key], !(value is NSNull) else { continue }
                guard let string = value as? String else {
                    return .failure(Rejection(.json, "JSON of the wrong shape: \"\(key)\" must be a string"))
                }
                fields[group] = string
                break
            }
        }
        let title = TextNormalizer.normalize(fields["title"] ?? "").replacingNewlines()
        let body = TextNormalizer.normalize(fields["text"] ?? "")
        if title.isEmpty && body.isEmpty {
            return .failure(
                Rejection(.json, "JSON has neither a title nor a text (looked for \(titleKeys + textKeys))"))
        }
        for key in sourceKeys + urlKeys {
            if let value = dict[key], !(value is NSNull), !(value is String) {
                return .failure(Rejection(.json, "JSON of the wrong shape: \"\(key)\" must be a string"))
            }
        }
        let (named, url) = outletAndURL(dict)
        return .success(
            RawArticle(
                title: title, text: body, source: named ?? url.flatMap(host) ?? fallbackSource, url: url,
                date: fields["date"].flatMap { $0.isEmpty ? nil : $0 }))
    }

    private static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return ns.localizedDescription
    }
}
