// libFuzzer target: ArticleReader.read(bytes:fileName:folderSource:), every reader path.
//
// Input layout: byte 0 picks the file name's extension (byte % 5) and the folder source
// ((byte / 5) % 3: none, empty, a name); the remaining bytes are the file's contents.
import NewsDigest

private let extensions = ["txt", "md", "json", "html", "bin"]
private let folderSources: [String?] = [nil, "", "outlet"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let ext = extensions[selector % extensions.count]
    let folderSource = folderSources[(selector / extensions.count) % folderSources.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch ArticleReader.read(bytes: bytes, fileName: "article.\(ext)", folderSource: folderSource) {
    case .success(let article):
        blackHole(article.title.utf8.count &+ article.text.utf8.count &+ article.source.utf8.count)
    case .failure(let rejection):
        blackHole(rejection.reason.utf8.count)
    }
    return 0
}

/// Keeps the optimizer from dropping work whose result nobody reads.
@inline(never) @_optimize(none)
func blackHole(_ value: Int) {}
