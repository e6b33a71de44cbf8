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
}
