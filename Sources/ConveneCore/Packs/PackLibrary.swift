import Foundation
import Yams

/// A pack file that could not be loaded: the file, the key and the problem.
public struct PackError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let field: FieldPath
    public let message: String

    public var description: String {
        field.description.isEmpty ? "\(file): \(message)" : "\(file): \(field): \(message)"
    }
}

/// The procedure packs Convene knows: the five shipped with it, plus any YAML files in a
/// directory an authority adds (`CONVENE_PACKS_DIR`), loaded and validated at start-up.
public struct PackLibrary: Sendable {
    public let packs: [ProcedurePack]

    public init(packs: [ProcedurePack]) {
        self.packs = packs
    }

    public func pack(_ id: String) -> ProcedurePack? {
        packs.first { $0.id == id }
    }

    /// The shipped packs. Loading them cannot fail in a released build (the tests load them).
    public static func builtIn() throws(PackError) -> PackLibrary {
        try load(directories: [builtInDirectory])
    }

    /// The shipped packs plus every `*.yaml` file in `extra`, which may override none of them.
    public static func load(extraDirectory extra: URL?) throws(PackError) -> PackLibrary {
        try load(directories: [builtInDirectory] + (extra.map { [$0] } ?? []))
    }

    static var builtInDirectory: URL {
        Bundle.module.url(forResource: "Packs", withExtension: nil)!
    }

    /// The shipped YAML file of a pack, e.g. to start a new authority's pack from.
    public static func builtInFile(_ id: String) -> URL {
        builtInDirectory.appendingPathComponent("\(id).yaml")
    }

    static func load(directories: [URL]) throws(PackError) -> PackLibrary {
        var packs: [ProcedurePack] = []
        var files: [String: String] = [:]
        for directory in directories {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw PackError(file: directory.path, field: "", message: "cannot read the directory: \(error.localizedDescription)")
            }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let url = directory.appendingPathComponent(name)
                let pack = try parse(file: url)
                if let other = files[pack.id] {
                    throw PackError(file: name, field: "id", message: "pack id \"\(pack.id)\" is already used by \(other)")
                }
                files[pack.id] = name
                packs.append(pack)
            }
        }
        return PackLibrary(packs: packs)
    }

    public static func parse(file url: URL) throws(PackError) -> ProcedurePack {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PackError(file: url.lastPathComponent, field: "", message: "cannot be read as UTF-8 text")
        }
        return try parse(yaml: text, file: url.lastPathComponent)
    }

    public static func parse(yaml text: String, file: String) throws(PackError) -> ProcedurePack {
        do {
            return try YAMLDecoder().decode(ProcedurePack.self, from: text)
        } catch let error as DecodingError {
            let input = InputError(error)
            throw PackError(file: file, field: input.field, message: input.message)
        } catch let error as YamlError {
            throw PackError(file: file, field: "", message: "is not valid YAML: \(error)")
        } catch {
            throw PackError(file: file, field: "", message: "could not be read: \(error)")
        }
    }
}
