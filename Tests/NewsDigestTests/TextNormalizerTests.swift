import Foundation
import Testing

@testable import NewsDigest

@Suite struct TextNormalizerTests {
    @Test(arguments: [
        ("\u{201C}Quoted\u{201D} and \u{2018}single\u{2019}", "\"Quoted\" and 'single'"),
        ("en\u{2013}dash and em\u{2014}dash", "en\u{2014}dash and em\u{2014}dash"),
        ("minus\u{2212}sign", "minus-sign"),
        ("non\u{00A0}breaking\u{2009}thin", "non breaking thin"),
        ("zero\u{200B}width\u{FEFF}", "zerowidth"),
        ("soft\u{00AD}hyphen", "softhyphen"),
        ("line\r\nends\rhere", "line\nends\nhere"),
        ("  many   spaces  ", "many spaces"),
        ("para one\n\n\n\npara two", "para one\n\npara two"),
        ("\u{FB01}le and \u{FF11}\u{FF12}", "file and 12"),  // NFKC: ligature, full-width digits
        ("e\u{0301}", "\u{00E9}"),  // composed
        ("wait\u{2026}", "wait..."),
        ("tab\tseparated", "tab separated"),
        ("bell\u{07}char", "bellchar"),
        ("\n\nleading and trailing\n\n", "leading and trailing"),
    ])
    func normalizes(_ input: String, _ expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    /// The shortcut for text already normalized must never take text that normalizing would
    /// change. Strings built from the pieces that matter (blanks, line ends, mapped quotes and
    /// spaces, letters that compose), checked against the full path: `normalizeFully` is
    /// what `normalize` does when the shortcut says no.
    @Test func theAlreadyNormalizedShortcutNeverSkipsAChange() {
        let pieces = [
            "a", "Word", " ", "  ", "\n", "\n\n", "\n\n\n", "\r\n", "\t", "\u{00E9}", "e\u{0301}", "\u{2014}",
            "\u{2013}", "\u{201C}", "\u{00A0}", "\u{200B}", "`", "\u{2026}", "\u{0107}", "\u{00C0}", "\u{07}",
            "\u{FB01}", ".", "\u{00AD}", "\u{4E2D}",
        ]
        var state: UInt64 = 7
        var shortcuts = 0
        for _ in 0..<20_000 {
            var s = ""
            state = StableHash.mix(state)
            for k in 0..<Int(state % 7) + 1 {
                s += pieces[Int((state >> (8 * UInt64(k))) % UInt64(pieces.count))]
            }
            let normalized = TextNormalizer.normalize(s)
            if TextNormalizer.isNormalized(s) {
                shortcuts += 1
                #expect(TextNormalizer.normalizeFully(s) == s, "\(Array(s.unicodeScalars))")
            }
            // What normalizing gives is what a reader hands on: the shortcut must take it.
            if !normalized.unicodeScalars.contains(where: { $0.value == 0x4E2D }) {
                #expect(TextNormalizer.isNormalized(normalized), "\(Array(normalized.unicodeScalars))")
            }
            #expect(TextNormalizer.normalizeFully(normalized) == normalized)
        }
        #expect(shortcuts > 1000)
    }

    /// The scalars that skip Foundation's NFKC must come out as they would have through it.
    @Test func scalarsThatSkipCompatibilityMappingComeOutAsThroughIt() {
        let stable = (0...0xFFFF).compactMap(Unicode.Scalar.init).filter(
            TextNormalizer.isStableUnderCompatibilityMapping)
        #expect(stable.count > 300)  // ASCII, Latin-1, Latin Extended-A, punctuation
        var differing: [String] = []
        for scalar in stable {
            let text = "a\(scalar)b \(scalar) E\(scalar)"
            let forced = TextNormalizer.normalize(text.precomposedStringWithCompatibilityMapping)
            if TextNormalizer.normalize(text) != forced {
                differing.append(String(scalar.value, radix: 16))
            }
        }
        #expect(differing.isEmpty, "U+\(differing.joined(separator: ", U+"))")
    }

    @Test func scalarsNFKCRewritesAreNotTakenAsStable() {
        // Each of these is changed by NFKC into something `map` treats otherwise.
        for value: UInt32 in [0x00B4, 0x00B5, 0x00B2, 0x2033, 0xFB01, 0xFF11, 0x0301, 0x0132] {
            #expect(!TextNormalizer.isStableUnderCompatibilityMapping(Unicode.Scalar(value)!))
        }
    }

    @Test(arguments: ["", "\n", "a", "a\n", "\na\n\nb", "a\n\n\nb\n", "\u{e9}t\u{e9}\n\u{2014}\n", " a  b c "])
    func linesMatchCharacterSplitting(_ text: String) {
        for omitting in [true, false] {
            #expect(
                text.lines(omittingEmpty: omitting)
                    == text.split(separator: "\n", omittingEmptySubsequences: omitting))
        }
        #expect(text.spaceSeparatedCount == text.split(separator: " ").count)
    }

    @Test(arguments: [("  a b \n", "a b"), ("\n\n", ""), ("x", "x"), (" \u{e9} ", "\u{e9}")])
    func trimsSpacesAndLineEnds(_ text: String, _ expected: String) {
        #expect(text.trimmingSpacesAndLineEnds() == expected)
    }
}
