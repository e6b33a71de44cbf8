import Testing

@testable import NewsDigest

@Suite struct TokenizerTests {
    @Test(arguments: [
        ("Assad's family", ["assad", "family"]),
        ("don't stop", ["dont", "stop"]),
        ("7,500 troops", ["7500", "troops"]),
        ("magnitude 6.1 quake", ["magnitude", "6.1", "quake"]),
        ("al-Assad", ["al", "assad"]),
        ("Türkiye-backed", ["türkiye", "backed"]),
        ("ÉCOLE Über", ["école", "über"]),
        ("end. Next", ["end", "next"]),
        ("emoji 🙂 between", ["emoji", "between"]),
        ("em\u{2014}dash", ["em", "dash"]),
        ("", []),
    ])
    func words(_ text: String, _ expected: [String]) {
        #expect(Tokenizer.words(text) == expected)
    }

    @Test func capitalizationIsReported() {
        var caps: [Bool] = []
        Tokenizer.forEachWord(in: "Rebels took Damascus") { _, c in caps.append(c) }
        #expect(caps == [true, false, true])
    }

    @Test(arguments: [("one two  three", 3), (" lead and trail ", 3), ("", 0), ("a\nb\tc", 3)])
    func budgetWords(_ text: String, _ n: Int) {
        #expect(Tokenizer.budgetWords(text) == n)
    }

    @Test func invalidUTF8IsSkippedNotFatal() {
        let bytes: [UInt8] = [0x61, 0x62, 0xFF, 0x63]
        var out: [String] = []
        bytes.withUnsafeBufferPointer { buf in
            Tokenizer.forEachWord(utf8: buf) { w, _ in out.append(String(decoding: w, as: UTF8.self)) }
        }
        #expect(out == ["ab", "c"])
    }
}
