import ArgumentParser
import Foundation
import NewsDigestDaemon

struct DropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Write articles into the drop folder the safe way (for scrapers).",
        discussion: """
            Each FILE (or standard input, as "-" or when no FILE is given) is written into the drop \
            folder under a new name that sorts by time and is unique: first as a dot-file, which the \
            daemon never reads, then fsynced, renamed into place and the folder fsynced, so the \
            daemon never sees half a file. A .txt, .md, .json or .html file keeps its extension; \
            standard input becomes .txt unless --format says otherwise. The name written is printed, \
            relative to the drop folder, one a line.

            --source puts the file in the drop folder's SOURCE subfolder, which names the outlet. \
            --title and --url make a text input a JSON article ({"title", "text", "url"}) and are \
            set in a JSON input; HTML takes neither. Files are written group-readable and -writable \
            (0660), so the daemon of the folder's group can move them.

            The drop folder is --drop, else paths.drop of --config (default \
            /etc/newsdigest/newsdigest.toml). Exits 0; 64 for usage errors; 66 when an input file \
            cannot be read; 73 when the drop folder is missing or cannot be written.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The drop folder (default: paths.drop of the config).", valueName: "dir"))
    var drop: String?

    @Option(name: .long, help: ArgumentHelp("A TOML config file.", valueName: "file"))
    var config: String?

    @Option(
        name: .long, help: ArgumentHelp("The outlet: the drop folder's subfolder to write into.", valueName: "name"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("The article's headline.", valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("Where the article was published.", valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("What standard input holds: txt, md, json or html.", valueName: "format"))
    var format: String = "txt"

    @Argument(help: ArgumentHelp("Article files; - or none for standard input.", valueName: "file"))
    var files: [String] = []

    static let formats = ["txt", "md", "json", "html"]
    static let installedConfig = "/etc/newsdigest/newsdigest.toml"

    func validate() throws {
        guard Self.formats.contains(format) else {
            throw ValidationError("--format must be one of \(Self.formats.joined(separator: ", ")), not \"\(format)\"")
        }
        for file in files where file != "-" {
            let ext = (file as NSString).pathExtension.lowercased()
            guard Self.formats.contains(ext == "htm" ? "html" : ext) else {
                throw ValidationError("\(file): only .txt, .md, .json and .html files are articles")
            }
        }
    }

    func run() throws {
        let folder: String
        if let drop {
            folder = drop
        } else {
            let path =
                config ?? (FileManager.default.fileExists(atPath: Self.installedConfig) ? Self.installedConfig : nil)
            guard let found = try CommandLineSupport.loadConfiguration(path).drop else {
                throw ValidationError("missing --drop (or paths.drop in the config)")
            }
            folder = found
        }
        var writer = DropWriter(drop: CommandLineSupport.absolute(folder))
        for input in files.isEmpty ? ["-"] : files {
            let bytes: [UInt8]
            var ext: String
            if input == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
                ext = format
            } else {
                guard let data = FileManager.default.contents(atPath: input) else {
                    FileHandle.standardError.write(Data("newsdigest drop: \(input): cannot read it\n".utf8))
                    throw ExitCode(ExitStatus.noInput.rawValue)
                }
                bytes = Array(data)
                ext = (input as NSString).pathExtension.lowercased()
                if ext == "htm" { ext = "html" }
            }
            let (content, finalExt) = try withMetadata(bytes, ext: ext, input: input)
            do {
                print(try writer.write(content, extension: finalExt, source: source))
            } catch let failure as DropWriter.Failure {
                if case .badSource = failure { throw ValidationError(failure.description) }
                FileHandle.standardError.write(Data("newsdigest drop: \(failure)\n".utf8))
                throw ExitCode(ExitStatus.cannotCreate.rawValue)
            }
        }
    }

    /// The bytes to write: as they are, or with --title and --url as a JSON article.
    func withMetadata(_ bytes: [UInt8], ext: String, input: String) throws -> ([UInt8], String) {
        guard title != nil || url != nil else { return (bytes, ext) }
        var object: [String: Any]
        switch ext {
        case "html":
            throw ValidationError("\(input): --title and --url apply to text and JSON articles, not HTML")
        case "json":
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw ValidationError("\(input): not a JSON object, so --title and --url cannot be set in it")
            }
            object = parsed
        default:
            object = ["text": String(decoding: bytes, as: UTF8.self)]
        }
        if let title { object["title"] = title }
        if let url { object["url"] = url }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return (Array(data) + [0x0A], "json")
    }
}
