import Foundation
import Testing

@Suite("The layers apart from HTTP (issue 10)")
struct LayerTests {
    /// Modules that bring HTTP, templates or the generated API with them.
    static let httpModules: Set<String> = ["Vapor", "Leaf", "LeafKit", "OpenAPIRuntime", "OpenAPIVapor", "Fluent", "ConveneWeb", "ConveneAPI"]

    @Test("No file of ConveneLifecycle or ConveneIdentity imports Vapor, Leaf or OpenAPIRuntime")
    func noHTTPImports() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        for target in ["ConveneLifecycle", "ConveneIdentity"] {
            let directory = sources.appendingPathComponent(target)
            let files = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil))
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            #expect(files.count > 5, "\(target) has its sources under \(directory.path)")
            for file in files {
                for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { continue }
                    // `import Vapor`, `@_exported import Vapor`, `import struct Vapor.Request`.
                    let module = String(words[words.count - 1].split(separator: ".").first ?? "")
                    #expect(!Self.httpModules.contains(module), "\(target)/\(file.lastPathComponent) imports \(module)")
                }
            }
        }
    }
}
