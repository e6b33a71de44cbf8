/// The original Porter (1980) suffix stripper, steps 1a to 5b.
///
/// Similarity and ROUGE-like scoring count shared words; without stemming, "rebels" and
/// "rebel", or "connected" and "connection", count as different words and two reports of
/// one event look less alike than they are. Porter only strips regular suffixes, so
/// irregular forms ("said"/"says" stem to "said"/"sai") still do not meet; that is the
/// price of a rule-based stemmer with no dictionary.
///
/// The rule set is the 1980 paper's (step 2 has "abli", not the later "bli"/"logi"
/// variants of Porter's reference C code), so stems are stable against the published
/// description rather than against any one implementation.
public enum PorterStemmer {
    /// Lowercase ASCII letters in, stem out. A word holding any other byte (digit,
    /// uppercase, punctuation, non-ASCII) is returned unchanged, because the rules are only
    /// meaningful for English letters and mangling a number or a foreign word would create
    /// false matches. Words of length <= 2 are returned unchanged, as in the paper.
    public static func stem(_ word: [UInt8]) -> [UInt8] {
        stemIfChanged(word) ?? word
    }

    /// Same as the byte form; the input string is handed back as is when nothing changed,
    /// so the common short or non-English word costs no new allocation.
    public static func stem(_ word: String) -> String {
        guard let out = stemIfChanged(Array(word.utf8)) else { return word }
        return String(decoding: out, as: UTF8.self)
    }

    private static func stemIfChanged(_ word: [UInt8]) -> [UInt8]? {
        guard word.count > 2 else { return nil }
        for c in word where c < 0x61 || c > 0x7A { return nil }
        var s = Stemmer(word)
        s.step1a()
        s.step1b()
        s.step1c()
        s.step2()
        s.step3()
        s.step4()
        s.step5a()
        s.step5b()
        return s.b == word ? nil : s.b
    }

    // MARK: Rule tables

    private struct Rule: Sendable {
        let suffix: StaticString
        let replacement: StaticString
        /// Step 4's "ion" only goes after s or t, so "adoption" loses it but "onion" keeps it.
        let afterSOrT: Bool

        init(_ suffix: StaticString, _ replacement: StaticString = "", afterSOrT: Bool = false) {
            self.suffix = suffix
            self.replacement = replacement
            self.afterSOrT = afterSOrT
        }
    }

    /// Buckets by the suffix's second-to-last letter (Porter's own trick): a word is then
    /// compared against two or three suffixes instead of all twenty. Longest suffix first
    /// within a bucket, because the paper picks the longest match and tries no other.
    private static func buckets(_ rules: [Rule]) -> [[Rule]] {
        var table = [[Rule]](repeating: [], count: 26)
        for rule in rules {
            let key = rule.suffix.utf8Start[rule.suffix.utf8CodeUnitCount - 2]
            table[Int(key &- 0x61)].append(rule)
        }
        return table.map { $0.sorted { $0.suffix.utf8CodeUnitCount > $1.suffix.utf8CodeUnitCount } }
    }

    private static let step2Rules = buckets([
        Rule("ational", "ate"), Rule("tional", "tion"), Rule("enci", "ence"), Rule("anci", "ance"),
        Rule("izer", "ize"), Rule("abli", "able"), Rule("alli", "al"), Rule("entli", "ent"),
        Rule("eli", "e"), Rule("ousli", "ous"), Rule("ization", "ize"), Rule("ation", "ate"),
        Rule("ator", "ate"), Rule("alism", "al"), Rule("iveness", "ive"), Rule("fulness", "ful"),
        Rule("ousness", "ous"), Rule("aliti", "al"), Rule("iviti", "ive"), Rule("biliti", "ble"),
    ])

    private static let step3Rules = buckets([
        Rule("icate", "ic"), Rule("ative"), Rule("alize", "al"), Rule("iciti", "ic"),
        Rule("ical", "ic"), Rule("ful"), Rule("ness"),
    ])

    private static let step4Rules = buckets([
        Rule("al"), Rule("ance"), Rule("ence"), Rule("er"), Rule("ic"), Rule("able"), Rule("ible"),
        Rule("ant"), Rule("ement"), Rule("ment"), Rule("ent"), Rule("ion", afterSOrT: true),
        Rule("ou"), Rule("ism"), Rule("ate"), Rule("iti"), Rule("ous"), Rule("ive"), Rule("ize"),
    ])

    // MARK: Working state

    /// One word being stemmed; `b.count` is always the current word length, so each step
    /// sees the previous step's result without index bookkeeping.
    private struct Stemmer {
        var b: [UInt8]

        init(_ word: [UInt8]) {
            b = word
            b.reserveCapacity(word.count + 1)  // steps 1b and 5 may add one "e"
        }

        /// "y" is a vowel after a consonant and a consonant otherwise ("toy" vs "syzygy").
        func isConsonant(_ i: Int) -> Bool {
            switch b[i] {
            case 0x61, 0x65, 0x69, 0x6F, 0x75: return false  // a e i o u
            case 0x79: return i == 0 || !isConsonant(i - 1)  // y
            default: return true
            }
        }

        /// The paper's m: the number of vowel-consonant runs in b[0..<end], i.e. n in [C](VC)^n[V].
        func measure(_ end: Int) -> Int {
            var i = 0
            while i < end && isConsonant(i) { i += 1 }
            var m = 0
            while i < end {
                while i < end && !isConsonant(i) { i += 1 }
                if i == end { break }
                m += 1
                while i < end && isConsonant(i) { i += 1 }
            }
            return m
        }

        func hasVowel(_ end: Int) -> Bool {
            for i in 0..<end where !isConsonant(i) { return true }
            return false
        }

        func endsWithDoubleConsonant(_ end: Int) -> Bool {
            end >= 2 && b[end - 1] == b[end - 2] && isConsonant(end - 1)
        }

        /// The paper's *o: stem ends consonant-vowel-consonant, last not w, x or y. It marks
        /// short stems like "hop"/"fil" whose silent "e" must survive ("filing" -> "file").
        func endsCVC(_ end: Int) -> Bool {
            guard end >= 3, isConsonant(end - 3), !isConsonant(end - 2), isConsonant(end - 1)
            else { return false }
            let c = b[end - 1]
            return c != 0x77 && c != 0x78 && c != 0x79
        }

        /// Where the stem would end if the word ends with `suffix`.
        func stemEnd(ifEndsWith suffix: StaticString) -> Int? {
            let n = suffix.utf8CodeUnitCount
            guard n <= b.count else { return nil }
            let start = b.count - n
            let p = suffix.utf8Start
            for i in 0..<n where b[start + i] != p[i] { return nil }
            return start
        }

        mutating func replace(from j: Int, with replacement: StaticString) {
            b.removeLast(b.count - j)
            replacement.withUTF8Buffer { b.append(contentsOf: $0) }
        }

        /// Steps 2-4 share this shape: find the one longest matching suffix, then replace it
        /// only if the stem is long enough; a failed condition does not fall through to a
        /// shorter suffix.
        mutating func applyLongestMatch(_ table: [[Rule]], minMeasure: Int) {
            guard b.count >= 2 else { return }
            let key = Int(b[b.count - 2] &- 0x61)
            for rule in table[key] {
                guard let j = stemEnd(ifEndsWith: rule.suffix) else { continue }
                if rule.afterSOrT && !(j > 0 && (b[j - 1] == 0x73 || b[j - 1] == 0x74)) { return }
                if measure(j) > minMeasure { replace(from: j, with: rule.replacement) }
                return
            }
        }

        mutating func step1a() {
            guard b.last == 0x73 else { return }  // s
            if let j = stemEnd(ifEndsWith: "sses") {
                replace(from: j, with: "ss")
            } else if let j = stemEnd(ifEndsWith: "ies") {
                replace(from: j, with: "i")
            } else if b.count >= 2 && b[b.count - 2] != 0x73 {
                b.removeLast()
            }
        }

        mutating func step1b() {
            if let j = stemEnd(ifEndsWith: "eed") {
                if measure(j) > 0 { b.removeLast() }
                return
            }
            guard let j = stemEnd(ifEndsWith: "ed") ?? stemEnd(ifEndsWith: "ing"), hasVowel(j)
            else { return }
            b.removeLast(b.count - j)
            // Restore what removing the ending broke: "conflat(ed)" needs its "e" back,
            // "hopp(ing)" its single "p", "fil(ing)" its silent "e".
            if stemEnd(ifEndsWith: "at") != nil || stemEnd(ifEndsWith: "bl") != nil
                || stemEnd(ifEndsWith: "iz") != nil
            {
                b.append(0x65)
            } else if endsWithDoubleConsonant(b.count) {
                let c = b[b.count - 1]
                if c != 0x6C && c != 0x73 && c != 0x7A { b.removeLast() }  // keep ll, ss, zz
            } else if measure(b.count) == 1 && endsCVC(b.count) {
                b.append(0x65)
            }
        }

        mutating func step1c() {
            if let j = stemEnd(ifEndsWith: "y"), hasVowel(j) { b[j] = 0x69 }
        }

        mutating func step2() { applyLongestMatch(PorterStemmer.step2Rules, minMeasure: 0) }
        mutating func step3() { applyLongestMatch(PorterStemmer.step3Rules, minMeasure: 0) }
        mutating func step4() { applyLongestMatch(PorterStemmer.step4Rules, minMeasure: 1) }

        mutating func step5a() {
            guard b.last == 0x65 else { return }  // e
            let j = b.count - 1
            let m = measure(j)
            if m > 1 || (m == 1 && !endsCVC(j)) { b.removeLast() }
        }

        mutating func step5b() {
            if b.last == 0x6C && endsWithDoubleConsonant(b.count) && measure(b.count) > 1 {
                b.removeLast()
            }
        }
    }
}
