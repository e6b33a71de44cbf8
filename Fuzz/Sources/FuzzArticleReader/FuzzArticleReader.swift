// libFuzzer target: ArticleReader.read(bytes:fileName:folderSource:), every reader path.
//
// Input layout: byte 0 picks the file name's extension (byte % 6) and the folder source
// ((byte / 6) % 3: none, empty, a name); the remaining bytes are the file's contents. A
// batch (.jsonl, or .json holding an array) is cut by BatchSplitter in blocks whose size the
// selector also picks, and each record read as the daemon reads it.
import NewsDigest

private let extensions = ["txt", "md", "json", "html", "bin", "jsonl"]
private let folderSources: [String?] = [nil, "", "outlet"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let ext = extensions[selector % extensions.count]
    let folderSource = folderSources[(selector / extensions.count) % folderSources.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let layout: BatchSplitter.Layout? =
        ext == "jsonl" ? .lines : (ext == "json" && BatchSplitter.opensArray(bytes) ? .array : nil)
    if let layout {
        var splitter = BatchSplitter(layout: layout, maxRecordBytes: 512)
        let block = 1 + selector % 7
        var pieces: [BatchSplitter.Piece] = []
        var i = 0
        while i < bytes.count {
            pieces += splitter.feed(bytes[i..<min(bytes.count, i + block)])
            i += block
        }
        pieces += splitter.finish()
        var last = 0
        for piece in pieces {
            // Numbers only ever grow: two records never share one.
            precondition(piece.number > last, "record numbers out of order")
            last = piece.number
            if case .record(_, let record) = piece {
                switch ArticleReader.readRecord(record, folderSource: folderSource) {
                case .success(let a): blackHole(a.title.utf8.count &+ a.text.utf8.count)
                case .failure(let r): blackHole(r.reason.utf8.count)
                }
            }
        }
    }
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
