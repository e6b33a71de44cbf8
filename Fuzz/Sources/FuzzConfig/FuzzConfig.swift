// The config parser: any bytes as a config file's text. Only a crash counts; a thrown
// ConfigurationList is the right answer to bad input.
//
// Found here and fixed by Sources/NewsDigestDaemon/Config/ConfigurationSyntax.swift (the lines
// are refused before the TOML library sees them; regression test: CheckConfigTests), all
// assertion failures in toml++ inside TOMLKit 0.6.0 that abort the process:
//  1. a table header starting with neither a bare-key character nor a quote: `[=]`, `[é]`
//     (toml.hpp:15481 parse_key());
//  2. a `}` or U+2028 where an array expects a value: `d=[}` (toml.hpp:14994 parse_value());
//  3. number- or date-like values followed by more text: `o=0098-08-0= 4`
//     (toml.hpp:15080 parse_value()'s scan lambda).
import FuzzedNewsDigestDaemon  // Sources/NewsDigestDaemon, built under this name (see Package.swift)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let config = try ConfigurationFile.parse(text, file: "fuzz.toml")
        blackHole(config.summaryWords &+ config.workers &+ config.timeZone.utf8.count)
    } catch {
        blackHole(error.description.utf8.count)
    }
    return 0
}

@inline(never)
func blackHole(_ value: Int) {}
