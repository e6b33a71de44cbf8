/// The digest for people: the day's stories, best first, each a headline, a short brief with
/// every sentence's outlet, and where else it ran. Article text is escaped, so a headline such
/// as "# 1 *exclusive*" cannot break the page.
public enum MarkdownRendering {
    public static func render(_ d: Digest) -> String {
        var whole = ""
        render(d) { whole += $0 }
        return whole
    }

    /// Renders in pieces of about `Rendering.chunk` bytes, handed to `sink` in order.
    public static func render<E: Error>(_ d: Digest, into sink: (String) throws(E) -> Void) throws(E) {
        var out = head(date: d.date, counts: d.counts, sources: Set(d.stories.flatMap(\.sources)).count)
        for (rank, story) in d.stories.enumerated() {
            out += heading(rank: rank)
            out += self.story(story)
            if out.utf8.count > Rendering.chunk {
                try sink(out)
                out = ""
            }
        }
        try tail(rejected: d.rejected, after: out, into: sink)
    }

    /// The title and the day's counts.
    static func head(date: String, counts: Digest.Counts, sources: Int) -> String {
        "# News digest \u{2014} \(date)\n\n" + countsSentence(counts, sources: sources) + "\n"
    }

    /// "3 stories from 7 articles and 4 sources (1 near duplicate, 1 rejected)."
    static func countsSentence(_ counts: Digest.Counts, sources: Int) -> String {
        var out = "\(plural(counts.stories, "story", "stories")) from \(plural(counts.articles, "article", "articles"))"
        out += " and \(plural(sources, "source", "sources"))"
        var extras: [String] = []
        if counts.nearDuplicates > 0 {
            extras.append(plural(counts.nearDuplicates, "near duplicate", "near duplicates"))
        }
        if counts.exactDuplicates > 0 {
            extras.append(plural(counts.exactDuplicates, "exact duplicate", "exact duplicates"))
        }
        if counts.rejected > 0 { extras.append("\(counts.rejected) rejected") }
        out += extras.isEmpty ? "." : " (\(extras.joined(separator: ", ")))."
        return out
    }

    /// What goes before a story's section: its number, which changes as other stories grow.
    static func heading(rank: Int) -> String { "\n## \(rank + 1). " }

    /// One story's section after its number: the same bytes wherever it ranks, so it is
    /// rendered once and kept until the story changes.
    public static func story(_ story: Digest.Story) -> String {
        var out = "\(escape(story.headline))\n\n"
        if let since = continuing(story.thread) { out += "_\(since)_\n\n" }
        if story.summary.isEmpty {
            out += "_No sentence of these articles could stand as a summary._\n"
        }
        for s in story.summary {
            out += "- \(escape(s.text)) _(\(escape(s.source)))_\n"
        }
        out += "\nSources: \(story.sources.map(escape).joined(separator: ", "))\n"
        let byID = Dictionary(story.articles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let copies = story.articles.filter(\.isNearDuplicate).map { copy -> String in
            let original = copy.duplicateOf.flatMap { byID[$0] }
            let of = original.map { " (repeats \(escape($0.source)))" } ?? ""
            return escape(copy.source) + of
        }
        if !copies.isEmpty { out += "Also in: \(copies.joined(separator: ", "))\n" }
        return out
    }

    /// "Continuing since 5 Dec, also 6 Dec" for a story of a thread that began on an earlier day:
    /// the day it began and the other earlier days of the window that reported it.
    static func continuing(_ thread: StoryThread) -> String? {
        guard !thread.earlierDays.isEmpty else { return nil }
        let start = StoryThread.startDay(thread.id)
        var out = "Continuing since \(shortDay(start))"
        let others = thread.earlierDays.filter { $0 != start }
        if !others.isEmpty { out += ", also " + others.map(shortDay).joined(separator: ", ") }
        return out + "."
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "5 Dec" of "2026-12-05" (the digest's title gives the year).
    static func shortDay(_ day: String) -> String {
        guard let n = DayNumber.parse(day) else { return day }
        let (_, m, d) = DayNumber.toCivil(n)
        return "\(d) \(months[m - 1])"
    }

    /// The rejected files, after the stories; `after` (rendered, not yet handed on) goes first.
    static func tail<E: Error>(
        rejected: some Collection<Digest.Rejected>, after: String, into sink: (String) throws(E) -> Void
    ) throws(E) {
        var out = after
        if !rejected.isEmpty {
            out += "\n## Rejected files\n\n"
            for r in rejected {
                out += "- `\(code(InputName.display(r.file)))`: \(escape(r.reason))\n"
                if out.utf8.count > Rendering.chunk {
                    try sink(out)
                    out = ""
                }
            }
        }
        if !out.isEmpty { try sink(out) }
    }

    static func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

    /// Backslash-escapes the characters Markdown could read as syntax where article text stands:
    /// never at a line start (that is always "- " or "## N. "), so "#", "-", "+" and digits are
    /// safe there, and "(" and "!" mean nothing once "[" is escaped.
    public static func escape(_ s: String) -> String {
        // Every character escaped is ASCII, and an ASCII byte in UTF-8 is always that character:
        // text without one of those bytes comes back as it is, without a walk by Character.
        guard s.utf8.contains(where: { specialBytes[Int($0)] }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~":
                out.append("\\")
                out.append(ch)
            case "\n", "\r", "\r\n":  // "\r\n" is one Character, equal to neither
                out.append(" ")
            default:
                out.append(ch)
            }
        }
        return out
    }

    private static let specialBytes: [Bool] = (0..<256).map { b in
        b < 0x80 && "\\`*_[]<>|~\n\r".utf8.contains(UInt8(b))
    }

    /// Text for an inline code span: backticks cannot end it, newlines cannot break it.
    static func code(_ s: String) -> String {
        String(s.map { $0 == "`" ? "'" : ($0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0) })
    }
}
