import Testing

@testable import NewsDigest

/// Input names in the digests: exact when UTF-8, escaped and flagged when not, never two inputs
/// under one name.
@Suite struct InputNameTests {
    @Test(
        arguments: [
            (Array("outlet/a.txt".utf8), "outlet/a.txt", false, "outlet/a.txt"),
            (Array("line\nbreak.txt".utf8), "line\nbreak.txt", false, "line%0Abreak.txt"),
            (Array("line%0Abreak.txt".utf8), "line%0Abreak.txt", false, "line%0Abreak.txt"),
            (Array("caf".utf8) + [0xE9] + Array(".txt".utf8), "caf%E9.txt", true, "caf%E9.txt"),
            (Array("caf%E9".utf8) + [0xFF] + Array(".txt".utf8), "caf%25E9%FF.txt", true, "caf%25E9%FF.txt"),
            (Array("sturm-pässe.txt".utf8), "sturm-pässe.txt", false, "sturm-pässe.txt"),
        ] as [([UInt8], String, Bool, String)])
    func namedExactlyOrEscaped(_ bytes: [UInt8], _ file: String, _ escaped: Bool, _ shown: String) {
        let kept = InputName.kept(bytes)
        #expect(InputName.json(kept) == (file, escaped, 0))
        #expect(InputName.display(kept) == shown)
        // A record of a batch of that name: the same name, and its number beside it.
        let record = InputName.kept(bytes, record: 17)
        #expect(InputName.json(record) == (file, escaped, 17))
        #expect(InputName.display(record) == shown + ", record 17")
        #expect(InputName.record(record) == (kept, 17))
    }

    @Test func aRecordNeverSharesANameWithAFile() {
        // "//" stands in no path relative to the drop folder, so no file's name reads as a record.
        let names = [
            InputName.kept(Array("items.jsonl".utf8), record: 2), InputName.kept(Array("items.jsonl".utf8)),
            InputName.kept(Array("items.jsonl".utf8), record: 12), InputName.kept(Array("a/2".utf8)),
            InputName.kept(Array("a".utf8) + [0xFF], record: 2), InputName.kept(Array("a".utf8) + [0xFF]),
        ]
        let shown = names.map { InputName.json($0) }
        #expect(Set(shown.map { "\($0.file)|\($0.escaped)|\($0.record)" }).count == names.count)
        #expect(InputName.json(InputName.kept(Array("a/2".utf8))).record == 0)
    }

    @Test func twoInputsNeverShareAName() {
        let names: [[UInt8]] = [
            Array("bad\nname.txt".utf8), Array("bad%0Aname.txt".utf8), Array("caf%E9.txt".utf8),
            Array("caf".utf8) + [0xE9] + Array(".txt".utf8), Array("x%25.txt".utf8),
            Array("x".utf8) + [0x80] + Array(".txt".utf8),
        ]
        let shown = names.map { InputName.json(InputName.kept($0)) }
        #expect(Set(shown.map { "\($0.file)|\($0.escaped)" }).count == names.count)
    }
}
