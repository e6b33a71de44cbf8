import ArgumentParser
import Foundation
import NewsDigestDaemon

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a config file: print each error as FILE:LINE: message, exit 78 (EX_CONFIG) on any.",
        discussion: "Run it before restarting the service; a unit's ExecStartPre= runs it too."
    )

    @Argument(help: ArgumentHelp("The TOML config file.", valueName: "file"))
    var file: String

    func run() throws {
        do {
            _ = try ConfigurationFile.load(path: file)
            print("\(file): OK")
        } catch {
            for e in error.errors { printError(e.description) }
            throw ExitCode(ExitStatus.config.rawValue)  // the unit's RestartPreventExitStatus= names it
        }
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
