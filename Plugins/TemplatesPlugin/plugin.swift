import Foundation
import PackagePlugin

/// Builds the digest's HTML templates (real .html files under Digest/Templates, edited and
/// previewed as pages) into the NewsDigest target as string constants: the binary carries them,
/// so an installed newsdigest needs no resource folder beside it.
@main
struct TemplatesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let source = target as? SourceModuleTarget else { return [] }
        let templates = source.sourceFiles(withSuffix: "html").map(\.url).sorted { $0.path < $1.path }
        guard !templates.isEmpty else { return [] }
        let script = context.package.directoryURL.appending(path: "Plugins/TemplatesPlugin/embed-templates.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTemplates.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(templates.count) HTML templates",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, output.path] + templates.map(\.path),
                inputFiles: templates + [script],
                outputFiles: [output])
        ]
    }
}
