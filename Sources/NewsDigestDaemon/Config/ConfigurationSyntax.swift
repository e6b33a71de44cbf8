/// The part of TOML a newsdigest config uses — `[section]` headers, `key = value` lines with a
/// string, a number or true/false, comments — checked line by line before the TOML library sees
/// the text. The library (toml++ inside TOMLKit 0.6.0) aborts the process on some malformed
/// input (`[=]`, `d=[}`, `o=0098-08-0= 4`, found by Fuzz/FuzzConfig); a config that check-config
/// or a SIGHUP reload reads must never take the daemon down, so such lines are refused here
/// with their line number instead.
enum ConfigurationSyntax {
    static func problems(in text: String, file: String) -> [ConfigurationError] {
        var out: [ConfigurationError] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var l = Substring(line)
            if l.last == "\r" { l.removeLast() }
            if let problem = problem(l) {
                out.append(ConfigurationError(file: file, line: i + 1, message: problem))
            }
        }
        return out
    }

    // Made per call: Regex is not Sendable, and a config is read rarely.
    private static func blank() -> Regex<(Substring, Substring?)> { /[ \t]*(#[^\x00-\x08\x0A-\x1F\x7F]*)?/ }
    private static func header() -> Regex<(Substring, Substring?)> {
        /[ \t]*\[[ \t]*[A-Za-z0-9_\-]+[ \t]*\][ \t]*(#[^\x00-\x08\x0A-\x1F\x7F]*)?/
    }
    private static func keyValue() -> Regex<AnyRegexOutput> {
        try! Regex(
            #"[ \t]*[A-Za-z0-9_\-]+[ \t]*=[ \t]*("([^"\\\x00-\x1F\x7F]|\\["\\bfnrt]|\\u[0-9A-Fa-f]{4})*"|'[^'\x00-\x1F\x7F]*'|[+\-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+\-]?[0-9]+)?|true|false)[ \t]*(#[^\x00-\x08\x0A-\x1F\x7F]*)?"#
        )
    }

    private static func problem(_ line: Substring) -> String? {
        if (try? blank().wholeMatch(in: line)) != nil || (try? header().wholeMatch(in: line)) != nil
            || (try? keyValue().wholeMatch(in: line)) != nil
        {
            return nil
        }
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.hasPrefix("[") {
            return "not a section header: expected [name] with letters, digits, '_' or '-'"
        }
        if trimmed.contains("=") {
            return
                "not a setting newsdigest reads: expected key = \"string\", a number or true/false (no arrays, tables or multi-line strings), then at most a # comment"
        }
        return "not TOML newsdigest reads: expected [section], key = value, or a # comment"
    }
}
