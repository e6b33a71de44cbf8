// libFuzzer target: ConfigurationFile.parse(_:file:) on arbitrary (lossily decoded) text.
// A thrown ConfigurationList is the expected answer to bad input; only crashes count.
//
// Known crashes, all assertion failures (abort, exit 134 in the shipped binary too) in the
// toml++ parser inside TOMLKit 0.6.0. Inputs that would hit the first two are skipped so the
// fuzzer can look past them (set NEWSDIGEST_FUZZ_KNOWN_BUGS=1 to stop skipping):
//  1. a table header whose first key character is neither a bare-key character nor a quote:
//     `[=]`, `[.a]`, `[#]`, `[é]`, `[[=]]`, or `[` at the end of a line:
//     toml.hpp:15481 parse_key(): Assertion `is_bare_key_character(*cp) || is_string_delimiter(*cp)'
//  2. a `}`, U+0085, U+2028 or U+2029 where an array expects a value: `d=[}`, `a=[1,}`,
//     `a={b=[}`, `a=[<U+2028>]`:
//     toml.hpp:14994 parse_value() (from parse_array()): Assertion `!is_value_terminator(*cp)'
// Known and NOT skipped (its trigger is not understood well enough to filter; the fuzzer finds it
// again after some minutes, then stops with a crash-* artifact):
//  3. some number- or date-like values of 10+ characters followed by a blank and more text:
//     `i=8*-------<U+0001> 8#`, `o=8*-------x 8#`, `o=0098-08-0= 4`:
//     toml.hpp:15080 parse_value()'s scan lambda: Assertion `!is_value_terminator(*cp)'
import FuzzedNewsDigestDaemon  // Sources/NewsDigestDaemon, built under this name (see Package.swift)
import Glibc

private let skipKnownBugs = getenv("NEWSDIGEST_FUZZ_KNOWN_BUGS") == nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if skipKnownBugs && (hitsTableHeaderAssertion(text) || hitsArrayValueAssertion(text)) {
        return -1  // not added to the corpus
    }
    do {
        let config = try ConfigurationFile.parse(text, file: "fuzz.toml")
        blackHole(config.summaryWords &+ config.workers &+ config.timeZone.utf8.count)
    } catch {
        blackHole(error.description.utf8.count)
    }
    return 0
}

/// Whether a line starts (after spaces and tabs, the only white space toml++ skips there) with a
/// table header whose key begins with a character toml++ asserts can never be there. Errs on the
/// side of skipping: a `[` line inside a multi-line array or string is counted too.
private func hitsTableHeaderAssertion(_ text: String) -> Bool {
    var scalars = Substring(text).unicodeScalars
    if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }  // toml++ skips a leading BOM
    for line in scalars.split(separator: "\n", omittingEmptySubsequences: true) {
        var rest = line.drop(while: isBlank)
        guard rest.first == "[" else { continue }
        rest = rest.dropFirst()
        let blankBefore = rest.first.map(isBlank) ?? false
        rest = rest.drop(while: isBlank)
        if rest.first == "[" && !blankBefore { rest = rest.dropFirst().drop(while: isBlank) }
        guard let c = rest.first else { return true }  // "[" then the end of the line
        if c == "]" || c == "\"" || c == "'" || c == "_" || c == "-" { continue }
        if c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) { continue }
        return true
    }
    return false
}

/// Whether an array may meet a `}` or a Unicode line separator where it expects a value. Errs on
/// the side of skipping: any such separator after a `[` counts, and a `}` counts whenever the last
/// thing before it other than white space, line breaks and comments is a `[` or a `,`.
private func hitsArrayValueAssertion(_ text: String) -> Bool {
    var sawBracket = false
    var previous: Unicode.Scalar = "\n"
    var inComment = false
    for c in text.unicodeScalars {
        if inComment {
            if c == "\n" { inComment = false }
            continue
        }
        switch c {
        case "[": sawBracket = true
        case "\u{85}", "\u{2028}", "\u{2029}": if sawBracket { return true }
        case "}": if previous == "[" || previous == "," { return true }
        case "#": inComment = true
        default: break
        }
        if !(isBlank(c) || c == "\n" || c == "\r" || c == "#") { previous = c }
    }
    return false
}

private func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }

/// Keeps the optimizer from dropping work whose result nobody reads.
@inline(never) @_optimize(none)
func blackHole(_ value: Int) {}
