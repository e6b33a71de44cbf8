import Foundation

/// Puts text into the one form every later step assumes: NFKC, straight quotes, one kind of
/// dash, plain spaces, `\n` line ends, no control or zero-width characters, no trailing blanks.
///
/// Scrapers hand over the same article with curly or straight quotes, NBSPs, CRLF, ligatures and
/// full-width digits; if those survived, the exact-duplicate hash and the shingles would see
/// different texts where a reader sees one.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        // Readers hand the analyser text they normalized already; checking is a third of
        // normalizing again.
        isNormalized(text) ? text : normalizeFully(text)
    }

    static func normalizeFully(_ text: String) -> String {
        var text = text
        // Foundation's NFKC on Linux was a tenth of the per-file time, and nearly every article
        // has a curly quote or a dash in it; text made only of scalars that NFKC leaves alone
        // (or that `map` turns into what NFKC would have led to) skips it with the same result.
        if !text.unicodeScalars.allSatisfy(isStableUnderCompatibilityMapping) {
            text = text.precomposedStringWithCompatibilityMapping
        }
        // Bytes out, not a UnicodeScalarView: appending scalars one by one was a sixth of the
        // per-file time.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var blankLines = 0
        var lineHasText = false
        var lastWasCR = false
        for scalar in text.unicodeScalars {
            let mapped = map(scalar)
            switch mapped {
            case .drop:
                continue
            case .space:
                lastWasCR = false
                if lineHasText { pendingSpace = true }
            case .newline(let isCR):
                if lastWasCR && !isCR && scalar == "\n" {
                    lastWasCR = false
                    continue
                }
                lastWasCR = isCR
                pendingSpace = false
                if lineHasText {
                    out.append(0x0A)
                    lineHasText = false
                    blankLines = 0
                } else {
                    blankLines += 1
                    if blankLines == 1 && !out.isEmpty { out.append(0x0A) }
                }
            case .scalar(let s):
                lastWasCR = false
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                // Inline, not a nested function: one capturing `out` cost a dynamic exclusivity
                // check per scalar.
                if s.value < 0x80 {
                    out.append(UInt8(truncatingIfNeeded: s.value))
                } else {
                    out.append(contentsOf: String(s).utf8)
                }
                lineHasText = true
            case .text(let t):
                lastWasCR = false
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(contentsOf: t.utf8)
                lineHasText = true
            }
        }
        while out.last == 0x0A { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// True only when `normalize` would give `text` back unchanged: every scalar one that NFKC
    /// and `map` leave as it is, single spaces between words, no blank at either end of a line,
    /// at most one empty line in a row, no line end at either end of the text. (False may also
    /// mean "not sure": the caller then normalizes.)
    static func isNormalized(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var atLineStart = true
            var afterSpace = false
            var newlines = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x20 {
                    if atLineStart || afterSpace { return false }
                    afterSpace = true
                    i += 1
                    continue
                }
                if b == 0x0A {
                    if afterSpace || i == 0 || newlines == 2 { return false }
                    newlines += 1
                    atLineStart = true
                    i += 1
                    continue
                }
                if b < 0x80 {
                    guard b >= 0x21 && b < 0x7F && b != 0x60 else { return false }
                    i += 1
                } else {
                    let (scalar, length) = Tokenizer.decode(bytes, at: i)
                    guard let scalar, isStableUnderCompatibilityMapping(scalar),
                        case .scalar(let same) = map(scalar), same == scalar
                    else { return false }
                    i += length
                }
                atLineStart = false
                afterSpace = false
                newlines = 0
            }
            return !afterSpace && newlines == 0
        }
    }

    /// True for a scalar whose NFKC form, put through `map`, is what `map` makes of the scalar
    /// itself, and that neither composes with a neighbour nor reorders: ASCII, the Latin-1 and
    /// Latin Extended-A letters (already composed), and the punctuation news text is full of.
    /// Anything else (combining marks, ligatures, full-width forms, superscripts, other scripts)
    /// sends the whole text through Foundation's NFKC.
    static func isStableUnderCompatibilityMapping(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00..<0x80: return true
        // No compatibility decomposition: NBSP (NFKC and `map` both give a space), ¡–§ © « ¬
        // soft hyphen ® ° ± ¶ · » ¿, and the letters À–ÿ with × and ÷.
        case 0xA0...0xA7, 0xA9, 0xAB...0xAE, 0xB0, 0xB1, 0xB6, 0xB7, 0xBB, 0xBF, 0xC0...0xFF: return true
        // Ā–ž, less Ĳ ĳ Ŀ ŀ ŉ ſ, which NFKC spells out.
        case 0x0132, 0x0133, 0x013F, 0x0140, 0x0149, 0x017F: return false
        case 0x0100...0x017F: return true
        // Spaces (NFKC: U+0020), hyphens and dashes, zero-width characters, quotes, prime, dagger,
        // bullet, ellipsis (NFKC: "..."), the narrow spaces, word joiner, euro sign, BOM.
        case 0x2000...0x200A, 0x200B...0x200D, 0x2010...0x2015, 0x2018...0x201F, 0x2020...0x2022, 0x2026,
            0x2032, 0x202F, 0x205F, 0x2060, 0x20AC, 0x2212, 0xFEFF:
            return true
        default: return false
        }
    }

    private enum Mapped {
        case drop, space
        case newline(isCR: Bool)
        case scalar(Unicode.Scalar)
        case text(String)
    }

    private static func map(_ s: Unicode.Scalar) -> Mapped {
        if s.value >= 0x21 && s.value < 0x7F && s.value != 0x60 { return .scalar(s) }
        switch s.value {
        case 0x0A, 0x0B, 0x0C, 0x85, 0x2028, 0x2029: return .newline(isCR: false)
        case 0x0D: return .newline(isCR: true)
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return .space
        case 0x00...0x1F, 0x7F...0x9F: return .drop
        case 0x200B...0x200D, 0x2060, 0xFEFF, 0x00AD: return .drop  // zero-width, BOM, soft hyphen
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0x0060, 0x00B4: return .scalar("'")
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB: return .scalar("\"")
        case 0x2010, 0x2011, 0x2012, 0x2212, 0xFE63, 0xFF0D: return .scalar("-")
        case 0x2013, 0x2014, 0x2015, 0x2E3A, 0x2E3B: return .scalar("\u{2014}")
        case 0x2026: return .text("...")
        default:
            if s.properties.generalCategory == .control || s.properties.generalCategory == .format {
                return .drop
            }
            return .scalar(s)
        }
    }
}
