// libFuzzer target: ConfigurationFile.parse(_:file:) on arbitrary (lossily decoded) text.
// A thrown ConfigurationList is the expected answer to bad input; only crashes count.
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

/// Keeps the optimizer from dropping work whose result nobody reads.
@inline(never) @_optimize(none)
func blackHole(_ value: Int) {}
