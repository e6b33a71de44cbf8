/// Which sentences may stand alone in a brief. A reader sees one sentence at a time, cut from its
/// article: a quotation cut open ("It is with sadness that we confirm …" with no end), one begun
/// inside (`It means this for all Canadians," she said.`), a teaser cut with "...", a photo
/// caption or a film's credits reads as a mistake there, however central its words are.
public enum Quotability {
    /// The sentences of one line with quotations made whole: a quotation that runs over several
    /// sentences becomes one sentence, quotable when it closes within the line and fits
    /// `maxQuoteWords`; the pieces of one that does not close, or of one that closes without
    /// having opened, are kept (their words still count for topics and similarity) but marked
    /// not quotable. Marks are straight double quotes and `''` (text is normalized first);
    /// single quotes are left alone, since they are mostly apostrophes.
    public static func quotations(_ sentences: [String]) -> [(range: Range<Int>, quotable: Bool)] {
        var out: [(range: Range<Int>, quotable: Bool)] = []
        var i = 0
        while i < sentences.count {
            let first = scan(sentences[i], inside: false)
            guard first.inside else {
                out.append((i..<i + 1, !first.closedOutside))
                i += 1
                continue
            }
            // Opened and not closed: the quotation goes on into the next sentences.
            var j = i + 1
            var inside = true
            var broken = first.closedOutside
            while j < sentences.count && inside {
                let next = scan(sentences[j], inside: true)
                inside = next.inside
                broken = broken || next.closedOutside
                j += 1
            }
            let joined = sentences[i..<j].joined(separator: " ")
            if !inside && !broken && Tokenizer.budgetWords(joined) <= maxQuoteWords {
                out.append((i..<j, true))
            } else {
                for k in i..<j { out.append((k..<k + 1, false)) }
            }
            i = j
        }
        return out
    }

    /// The longest quotation quoted whole: a brief's sentence, not a speech.
    public static let maxQuoteWords = 70

    /// Whether `s` ends inside a quotation, starting `inside` or not, and whether a quotation
    /// closed that had not opened (the sentence began inside one).
    static func scan(_ s: String, inside start: Bool) -> (inside: Bool, closedOutside: Bool) {
        var inside = start
        var closedOutside = false
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            let length: Int
            if b[i] == 0x22 {
                length = 1
            } else if b[i] == 0x27 && i + 1 < b.count && b[i + 1] == 0x27 {
                length = 2
            } else {
                i += 1
                continue
            }
            let before: UInt8 = i > 0 ? b[i - 1] : 0x20
            let after: UInt8 = i + length < b.count ? b[i + length] : 0x20
            let opens = (before == 0x20 || before == 0x28 || before == 0x5B || before == 0x2D) && after != 0x20
            let closes = before != 0x20 && (after == 0x20 || isPunctuation(after))
            if opens && !closes {
                inside = true
            } else if closes && !opens {
                if !inside { closedOutside = true }
                inside = false
            } else {
                inside.toggle()
            }
            i += length
        }
        return (inside, closedOutside)
    }

    static func isPunctuation(_ c: UInt8) -> Bool {
        c == 0x2C || c == 0x2E || c == 0x3B || c == 0x3A || c == 0x21 || c == 0x3F || c == 0x29 || c == 0x5D
    }

    static let glued = Array(" | ".utf8)
    static let photoCredits = Boilerplate.Needles([
        "(AP Photo", "(Photo by", "(Reuters/", "(AFP/", "/Getty Images)", "(Getty Images",
    ])

    /// A sentence of a kind that never stands alone in a brief, whatever its quotation marks.
    public static func isUnfit(_ s: String) -> Bool {
        // Searched byte by byte (Foundation's search, run on every sentence, cost a tenth of a
        // day's analysis).
        let bytes = Array(s.utf8)
        return isTeaser(s) || isCaption(s, bytes) || isCredits(s) || Boilerplate.contains(bytes, glued)
    }

    /// "… store owners, who have..." : cut short by the page it was scraped from. An ellipsis
    /// inside a sentence is the writer's, and fine.
    static func isTeaser(_ s: String) -> Bool {
        var end = Substring(s)
        while let last = end.last, last == "\"" || last == "'" || last == ")" || last == " " { end.removeLast() }
        return end.hasSuffix("...") || end.hasSuffix("\u{2026}") || end.hasSuffix(". . .")
    }

    /// "FILE - In this May 24, 2016, file photo, …", "In this image released by …", "A photo from
    /// the 1998 excavation, …", "(AP Photo/…)". "In this year's election, photo identification
    /// was required" is news: the photo must be the sentence's subject, within its opening words.
    static func isCaption(_ s: String, _ bytes: [UInt8]) -> Bool {
        if s.hasPrefix("FILE -") || s.hasPrefix("FILE PHOTO") || s.hasPrefix("FILE \u{2014}") { return true }
        if bytes.contains(0x28) {
            if photoCredits.occur(in: bytes) { return true }
        }
        // Every other shape opens with one of these: most sentences are done here.
        guard s.hasPrefix("In this ") || s.hasPrefix("A ") || s.hasPrefix("This ") else { return false }
        let opening = s.split(separator: " ", maxSplits: 14).prefix(14).map { String($0) }
        guard let first = opening.first else { return false }
        let pictures: Set<String> = [
            "photo", "photo,", "image", "image,", "picture", "picture,", "photograph,", "photograph",
        ]
        if first == "In" && opening.count > 2 && opening[1] == "this" {
            // "In this [date,] [file|undated|handout] photo[,] [provided|released|taken|made] …"
            for (k, w) in opening.enumerated().dropFirst(2) where pictures.contains(w) {
                if w.hasSuffix(",") { return true }
                let next = k + 1 < opening.count ? opening[k + 1] : ""
                return ["provided", "released", "taken", "made", "shot", "obtained", "shows", "from"].contains(next)
            }
            return false
        }
        if (first == "A" || first == "This") && opening.count > 2 {
            let second =
                opening[1] == "undated" || opening[1] == "file" ? (opening.count > 3 ? opening[2] : "") : opening[1]
            let after = opening.firstIndex(of: second).map { $0 + 1 < opening.count ? opening[$0 + 1] : "" } ?? ""
            return pictures.contains(second)
                && ["from", "of", "taken", "provided", "released", "shows"].contains(after)
        }
        return false
    }

    /// A film's or show's credits: "Produced by …", "With: …".
    static func isCredits(_ s: String) -> Bool {
        for prefix in [
            "Produced by ", "Directed by ", "Written by ", "Written and directed by ", "Starring ", "With: ", "Cast: ",
            "Running time", "Rated PG", "Rated R", "Rated G",
        ]
        where s.hasPrefix(prefix) {
            return true
        }
        return false
    }
}
