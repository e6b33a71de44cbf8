import Foundation
import NewsDigest

// newsdigest-bench summarize DIR SIZE...
//
// Reads every article file under DIR (as the daemon would), takes them in file-name order
// (make_corpus.py numbers files in story order) and groups them into stories of SIZE articles.
// Per SIZE it prints one JSON line: the median milliseconds to analyze a story's articles and
// to summarize the story (the 120-word budget the digest uses), over all groups, each timed
// three times.

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func articleFiles(under root: URL) -> [(name: String, url: URL)] {
    var out: [(String, URL)] = []
    let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = e?.nextObject() as? URL {
        if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            out.append((url.lastPathComponent, url))
        }
    }
    return out.sorted { $0.0 < $1.0 }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[s.count / 2]
}

let args = CommandLine.arguments
guard args.count >= 4, args[1] == "summarize" else {
    FileHandle.standardError.write(Data("usage: newsdigest-bench summarize DIR SIZE...\n".utf8))
    exit(64)
}
let files = articleFiles(under: URL(fileURLWithPath: args[2]))
var raws: [(String, RawArticle)] = []
for f in files {
    guard let data = FileManager.default.contents(atPath: f.url.path),
        case .success(let raw) = ArticleReader.read(bytes: Array(data), fileName: f.name, folderSource: "bench")
    else { continue }
    raws.append((f.name, raw))
}
for sizeArg in args[3...] {
    guard let size = Int(sizeArg), size > 0 else { continue }
    var analyze: [Double] = []
    var summarize: [Double] = []
    var words = 0
    let groups = Array(stride(from: 0, to: raws.count - size + 1, by: size).prefix(200))
    for start in groups {
        let group = raws[start..<(start + size)]
        for _ in 0..<3 {
            let t0 = now()
            let parsed = group.map { ArticleAnalyzer.analyze($0.1, file: $0.0) }
            let t1 = now()
            let summary = Summarizer().summarize(parsed, budget: .words(120))
            let t2 = now()
            analyze.append(Double(t1 - t0) / 1e6)
            summarize.append(Double(t2 - t1) / 1e6)
            words = summary.reduce(0) { $0 + $1.text.split(separator: " ").count }
        }
    }
    let line: [String: Any] = [
        "articles_per_story": size, "stories": groups.count, "analyze_ms": median(analyze),
        "summarize_ms": median(summarize), "last_summary_words": words,
    ]
    let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
