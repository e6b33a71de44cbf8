import Testing

@testable import NewsDigest

/// Batch files cut into records: each record once with its number, a bad one rejected alone,
/// whatever the blocks the bytes arrive in.
@Suite struct BatchSplitterTests {
    /// What the splitter makes of `text`, as "N:record" or "N!kind".
    static func cut(_ text: String, _ layout: BatchSplitter.Layout, max: Int = 1000, block: Int = 1 << 20) -> [String] {
        var s = BatchSplitter(layout: layout, maxRecordBytes: max)
        let bytes = Array(text.utf8)
        var pieces: [BatchSplitter.Piece] = []
        var i = 0
        while i < bytes.count {
            pieces += s.feed(bytes[i..<min(bytes.count, i + block)])
            i += block
        }
        pieces += s.finish()
        return pieces.map {
            switch $0 {
            case .record(let n, let b): "\(n):\(String(decoding: b, as: UTF8.self))"
            case .rejected(let n, let r): "\(n)!\(r.kind.rawValue)"
            }
        }
    }

    @Test(
        arguments: [
            ("{\"a\":1}\n{\"b\":2}\n", ["1:{\"a\":1}", "2:{\"b\":2}"]),
            // No newline after the last record; CRLF line ends; a byte-order mark.
            ("{\"a\":1}\r\n{\"b\":2}", ["1:{\"a\":1}\r", "2:{\"b\":2}"]),
            ("\u{FEFF}{\"a\":1}\n", ["1:{\"a\":1}"]),
            // Blank lines are no records; numbers stay the lines' own.
            ("\n{\"a\":1}\n   \n{\"b\":2}\n\n", ["2:{\"a\":1}", "4:{\"b\":2}"]),
            // A broken line is a record like another: its reader rejects it.
            ("{\"a\":\n{\"b\":2}\n", ["1:{\"a\":", "2:{\"b\":2}"]),
            // Over the limit: rejected with its number, the next line read on.
            ("{\"a\":\"" + String(repeating: "x", count: 40) + "\"}\n{\"b\":2}\n", ["1!size", "2:{\"b\":2}"]),
            ("", []),
        ] as [(String, [String])])
    func linesAreRecords(_ text: String, _ expected: [String]) {
        #expect(Self.cut(text, .lines, max: 30) == expected)
    }

    @Test(
        arguments: [
            ("[{\"a\":1},{\"b\":2}]", ["1:{\"a\":1}", "2:{\"b\":2}"]),
            (" [ {\"a\":1} ,\n {\"b\":2} ] \n", ["1:{\"a\":1}", "2:{\"b\":2}"]),
            // Brackets, braces, commas and escaped quotes inside strings cut nothing.
            (
                #"[{"t":"a],{b\",c"},{"n":[1,{"x":"]"}]}]"#,
                [#"1:{"t":"a],{b\",c"}"#, #"2:{"n":[1,{"x":"]"}]}"#]
            ),
            ("[]", []),
            ("[{\"a\":1},]", ["1:{\"a\":1}"]),
            // Elements that are not objects are records; their reader rejects them.
            ("[1,\"s\",null]", ["1:1", "2:\"s\"", "3:null"]),
            ("[{\"a\":1},,{\"b\":2}]", ["1:{\"a\":1}", "2!json", "3:{\"b\":2}"]),
            // Cut off: the records before are read, the open one is rejected.
            ("[{\"a\":1},{\"b\":", ["1:{\"a\":1}", "2!json"]),
            ("[{\"a\":1}] trailing", ["1:{\"a\":1}", "2!json"]),
            ("[{\"a\":\"" + String(repeating: "x", count: 40) + "\"},{\"b\":2}]", ["1!size", "2:{\"b\":2}"]),
            ("{\"a\":1}", ["1!json"]),
        ] as [(String, [String])])
    func arrayElementsAreRecords(_ text: String, _ expected: [String]) {
        #expect(Self.cut(text, .array, max: 30) == expected)
    }

    @Test func theBlocksTheBytesComeInChangeNothing() {
        let lines = (1...40).map { #"{"title":"t\#($0)","text":"a, [b] {c} \"d\""}"# }
        let jsonl = lines.joined(separator: "\n") + "\n\n{broken\n"
        let array = "[\n" + lines.joined(separator: ",\n") + "\n]\n"
        for (text, layout) in [(jsonl, BatchSplitter.Layout.lines), (array, .array)] {
            let whole = Self.cut(text, layout)
            #expect(whole.count == (layout == .lines ? 41 : 40))
            for block in [1, 2, 3, 7, 64] {
                #expect(Self.cut(text, layout, block: block) == whole, "block \(block)")
            }
        }
    }

    @Test(
        arguments: [
            ("[{}]", true), ("\u{FEFF} \n [", true), ("{\"a\":[1]}", false), ("", false), ("  \"[\"", false),
        ] as [(String, Bool)])
    func anArrayIsToldFromAnObject(_ text: String, _ array: Bool) {
        #expect(BatchSplitter.opensArray(Array(text.utf8)) == array)
    }
}
