/// Lines that belong to the page, not the story: prompts, bylines, credits, captions, player
/// notices, cross-links. They are kept out of shingles (so a copy with another site's furniture
/// still matches) and out of summaries (a reader must never see "SEE ALSO" in a brief).
///
/// Lines that merely recur across many articles of one source are caught later, per source, by
/// the day's state; this file knows only what can be told from the line alone.
public enum Boilerplate {
    public static func isBoilerplate(line: String) -> Bool {
        let lower = asciiLower(line)
        let words = lower.spaceSeparatedCount
        if words == 0 { return true }
        let bytes = Array(lower.utf8)
        for prefix in prefixBytes where bytes.starts(with: prefix) { return true }
        if exactLines.contains(lower.trimmingTrailing(" :.!")) { return true }
        if words <= 20 && shortFragmentNeedles.occur(in: bytes) { return true }
        if anywhereNeedles.occur(in: bytes) { return true }
        if isByline(lower, words: words) { return true }
        if isDatelineOnly(line) { return true }
        if isCaptionCredit(bytes) { return true }
        if words <= 8 && isShareBar(lower) { return true }
        return false
    }

    /// "By Jane Doe, Metro Wire" or "By Jane Doe | staff": short and without a sentence's verb end.
    private static func isByline(_ lower: String, words: Int) -> Bool {
        guard lower.hasPrefix("by "), words <= 9 else { return false }
        return !lower.hasSuffix(".") || words <= 5
    }

    /// "WASHINGTON (Metro Wire) —" standing alone on a line.
    private static func isDatelineOnly(_ line: String) -> Bool {
        guard line.hasSuffix("\u{2014}") || line.hasSuffix("-") || line.hasSuffix("--") else { return false }
        return Tokenizer.budgetWords(line) <= 6
    }

    /// A photo caption is text plus a credit: "(AFP Photo)", "(Photo: …)", "/ Reuters".
    private static func isCaptionCredit(_ bytes: [UInt8]) -> Bool {
        creditNeedles.occur(in: bytes)
    }

    /// "Share  Tweet  Email  Print", "Facebook Twitter WhatsApp".
    private static func isShareBar(_ lower: String) -> Bool {
        let words = lower.split(separator: " ")
        guard words.count <= 8 else { return false }
        let social = words.filter { shareWords.contains(String($0).trimmingTrailing(":|,")) }.count
        return social >= 2 && social * 2 >= words.count
    }

    private static let prefixes: [String] = [
        "see also:", "see also ", "read more", "read also:", "also read:", "related:", "related stories",
        "related articles", "related coverage", "more on this", "more from ", "advertisement",
        "story continues", "continue reading", "sign up for", "sign up to", "subscribe to", "subscribe for",
        "follow us on", "follow us:", "like us on", "share this", "share on ", "click here", "tap here",
        "listen to this article", "listen to article", "updated as reports come in", "this is a developing story",
        "this story is developing", "your browser doesn't support", "your browser does not support",
        "this material may not be published", "copyright \u{a9}", "copyright (c)", "copyright 19", "copyright 20",
        "(c) ", "\u{a9}", "reporting by", "(reporting by",
        "editing by", "(editing by", "additional reporting by", "with reporting by", "- based on reports",
        "\u{2014} based on reports", "posted:", "posted on ", "published:", "published on ", "last updated",
        "updated:", "watch:", "watch live", "watch the video", "video:", "photo:", "photos:", "image:",
        "[photo", "[image", "(photo", "getty images", "download the app", "get the app", "join our",
        "we use cookies", "this site uses cookies", "accept cookies", "comments (", "leave a comment",
        "report an error", "send us your", "have a news tip", "contact the author", "email the author",
    ]

    private static let exactLines: Set<String> = [
        "share", "tweet", "email", "print", "comments", "comment", "advertisement", "ad", "read more",
        "related", "related stories", "more", "next", "previous", "top stories", "trending", "menu",
        "home", "close", "skip to content", "loading", "loading...", "listen", "save", "subscribe",
    ]

    /// Fragments that make a short line furniture wherever they stand in it.
    private static let shortFragments: [String] = [
        "contributed to this report", "all rights reserved", "sign up for our", "newsletter",
        "follow us on", "download our app", "for the latest updates", "live updates", "breaking news alerts",
        "click here", "read the full story", "listen to this article", "min read", "minute read",
    ]

    /// Fragments that mark furniture at any length.
    private static let anywhere: [String] = [
        "your browser doesn't support html5", "your browser does not support html5",
        "may not be published, broadcast, rewritten or redistributed",
        "enable javascript", "javascript is disabled", "cookies to improve",
    ]

    private static let credits: [String] = [
        "(afp photo", "(ap photo", "(reuters photo", "(getty images", "/ getty images", "(photo:", "(photo by",
        "(photo credit", "photo credit:", "(image:", "(file photo", "(courtesy", "/ reuters)", "(epa", "(xinhua",
        "(aa photo", "(iha photo", "(dha photo",
    ]

    private static let shareWords: Set<String> = [
        "share", "tweet", "email", "print", "facebook", "twitter", "x", "whatsapp", "linkedin", "reddit",
        "telegram", "pinterest", "copy", "link", "messenger", "sms", "mail", "save",
    ]

    // Byte needles: Foundation's `contains` on Linux goes through CFString and was a sixth of
    // the whole pipeline's time.
    private static let prefixBytes = prefixes.map { Array($0.utf8) }
    private static let shortFragmentNeedles = Needles(shortFragments)
    private static let anywhereNeedles = Needles(anywhere)
    private static let creditNeedles = Needles(credits)

    /// Several needles looked for in one pass over a line: each position is compared only with
    /// the needles that start with its byte. One pass per needle was a twentieth of the
    /// analysis, every line scanned some forty times.
    struct Needles: Sendable {
        /// By first byte: the needles that start with it, without that byte.
        private let byFirst: [[[UInt8]]]

        init(_ needles: [String]) {
            var byFirst = [[[UInt8]]](repeating: [], count: 256)
            for needle in needles {
                let bytes = Array(needle.utf8)
                guard let first = bytes.first else { continue }
                byFirst[Int(first)].append(Array(bytes.dropFirst()))
            }
            self.byFirst = byFirst
        }

        /// Whether any needle occurs in `haystack`.
        func occur(in haystack: [UInt8]) -> Bool {
            haystack.withUnsafeBufferPointer { h in
                for i in h.indices {
                    for rest in byFirst[Int(h[i])] where i + rest.count < h.count {
                        var k = 0
                        while k < rest.count && h[i + 1 + k] == rest[k] { k += 1 }
                        if k == rest.count { return true }
                    }
                }
                return false
            }
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        needle.isEmpty || find(haystack, needle, from: 0) != nil
    }

    /// Where a non-empty `needle` first occurs in `haystack` at or after `from`.
    static func find(_ haystack: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func asciiLower(_ s: String) -> String {
        var bytes = Array(s.utf8)
        for i in bytes.indices where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] += 32 }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    func trimmingTrailing(_ characters: String) -> String {
        var s = Substring(self)
        while let last = s.last, characters.contains(last) { s.removeLast() }
        return String(s)
    }
}
