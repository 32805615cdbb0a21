import ConveneAPI
import Foundation
import OpenAPIRuntime
import Yams

/// The OpenAPI document served at `/api/v1/openapi.json`: the very `openapi.yaml` the
/// generator read (bundled with the ConveneAPI target), converted to JSON once at start-up,
/// so the published document can never drift from the code.
enum OpenAPIDocumentJSON {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func load() throws -> OpenAPIObjectContainer {
        guard let url = OpenAPIDocument.yamlURL else { throw Missing(description: "openapi.yaml is not bundled with ConveneAPI") }
        let yaml = try String(contentsOf: url, encoding: .utf8)
        guard let tree = try Yams.load(yaml: yaml) else { throw Missing(description: "openapi.yaml is empty") }
        let data = try JSONSerialization.data(withJSONObject: jsonValue(tree), options: [.sortedKeys])
        return try JSONDecoder().decode(OpenAPIObjectContainer.self, from: data)
    }

    /// YAML is richer than JSON: keys may be numbers (`200:`) and scalars may read as dates.
    static func jsonValue(_ value: Any) -> Any {
        switch value {
        case let map as [AnyHashable: Any]:
            var object: [String: Any] = [:]
            for (key, item) in map { object[String(describing: key.base)] = jsonValue(item) }
            return object
        case let list as [Any]:
            return list.map(jsonValue)
        case let date as Date:
            return ISO8601DateFormatter().string(from: date)
        case let data as Data:
            return data.base64EncodedString()
        case is NSNull:
            return NSNull()
        default:
            return value
        }
    }
}
