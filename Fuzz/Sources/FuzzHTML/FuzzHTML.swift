// libFuzzer target: the HTML reader alone, HTMLArticle.extract, on arbitrary bytes: the charset
// choice, libxml2's parser behind CHTMLTokens (recovery, no network), the token buffer read back
// into a tree, metadata (JSON-LD parsed with JSONSerialization) and the main-text search.
import NewsDigest

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch HTMLArticle.extract(bytes) {
    case .success(let page):
        blackHole(page.title.utf8.count &+ page.text.utf8.count &+ (page.date?.utf8.count ?? 0))
    case .failure(let rejection):
        blackHole(rejection.reason.utf8.count)
    }
    return 0
}

/// Keeps the optimizer from dropping work whose result nobody reads.
@inline(never) @_optimize(none)
func blackHole(_ value: Int) {}
