import ConveneAPI
import ConveneCore
import Foundation
import OpenAPIRuntime
import Vapor
import Yams

/// The generated code wraps every error in a `ServerError`. This unwraps it so that the
/// `ErrorHandling` middleware renders the same problem details as for any other error:
/// a request the generated code could not decode is a 400 naming the field (never a 500),
/// and the handlers' own errors (ValidationFailure, StageError, LifecycleError, Abort) keep
/// their meaning.
enum APIErrorMapping {
    static func unwrap(_ error: ServerError, _ req: Request) -> any Error {
        let underlying = error.underlyingError
        switch underlying {
        case let decoding as DecodingError:
            if let field = unreadableQueryNumber(req) {
                // The runtime decodes query parameters without a coding path: name the field.
                return InputError(field: field, "must be a whole number")
            }
            if case let .dataCorrupted(context) = decoding, context.codingPath.isEmpty,
               let field = locate(context.debugDescription, pathParameters: error.requestMetadata.pathParameters, req) {
                // The runtime decodes path parameters and dates without a coding path: find the field.
                return InputError(field: field, context.debugDescription.contains("UUID")
                    ? "must be an id (a UUID like 0d8f5e2a-6c1b-4d3e-9f00-1a2b3c4d5e6f)"
                    : "must be an instant in RFC 3339 from \(LocalDate.plausibleYears.lowerBound) to \(LocalDate.plausibleYears.upperBound), like 2026-12-24T09:00:00Z")
            }
            return InputError(readable(decoding))
        case is ValidationFailure, is InputError, is StageError, is LifecycleError, is any AbortError:
            return underlying
        default:
            let status = Int(error.httpStatus.code)
            guard (400..<500).contains(status) else { return underlying }
            // The runtime's own request errors (no body, wrong content type, a missing
            // parameter) describe the request, never the server: safe to show.
            if status == 400 {
                return InputError(field: "", error.causeDescription)
            }
            return Abort(HTTPResponseStatus(statusCode: status), reason: error.causeDescription)
        }
    }

    /// The integer query parameters of the document (`page`, `per`) that the request sent as
    /// something other than a whole number.
    static func unreadableQueryNumber(_ req: Request) -> FieldPath? {
        guard let query = req.url.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard ["page", "per"].contains(name) else { continue }
            let value = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
            if Int(value) == nil { return FieldPath(name) }
        }
        return nil
    }

    /// The field behind a decoding error that carries no coding path: a path parameter that is
    /// not a UUID, or a body property of format date-time that is not RFC 3339.
    static func locate(_ message: String, pathParameters: [String: Substring], _ req: Request) -> FieldPath? {
        if message.contains("UUID") {
            return pathParameters.keys.sorted().first { UUID(uuidString: String(pathParameters[$0] ?? "")) == nil }.map { FieldPath($0) }
        }
        guard message.contains("date"), let body = req.body.data,
              let json = try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]) else { return nil }
        return badInstant(in: json, at: FieldPath(""))
    }

    /// The first value under a date-time property of the document that is not RFC 3339.
    static func badInstant(in value: Any, at path: FieldPath) -> FieldPath? {
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let child = path.appending(key)
                if dateTimeProperties.contains(key), let text = object[key] as? String, APIDateTranscoder.instant(text) == nil {
                    return child
                }
                if let found = badInstant(in: object[key]!, at: child) { return found }
            }
        case let list as [Any]:
            for (i, item) in list.enumerated() {
                if let found = badInstant(in: item, at: path.index(i)) { return found }
            }
        default:
            break
        }
        return nil
    }

    /// The names of every property the document declares `format: date-time`.
    static let dateTimeProperties: Set<String> = {
        guard let url = OpenAPIDocument.yamlURL, let yaml = try? String(contentsOf: url, encoding: .utf8),
              let tree = try? Yams.load(yaml: yaml) else { return [] }
        var names: Set<String> = []
        func walk(_ node: Any) {
            if let map = node as? [AnyHashable: Any] {
                if let properties = map["properties"] as? [AnyHashable: Any] {
                    for (name, schema) in properties {
                        if let schema = schema as? [AnyHashable: Any], schema["format"] as? String == "date-time" {
                            names.insert(String(describing: name.base))
                        }
                    }
                }
                map.values.forEach(walk)
            } else if let list = node as? [Any] {
                list.forEach(walk)
            }
        }
        walk(tree)
        return names
    }()

    /// Swift's message for an unknown enum value names a generated type; say it as a person would.
    static func readable(_ error: DecodingError) -> DecodingError {
        guard case let .dataCorrupted(context) = error,
              let range = context.debugDescription.range(of: "from invalid String value ") else { return error }
        let value = context.debugDescription[range.upperBound...]
        return .dataCorrupted(.init(codingPath: context.codingPath,
                                    debugDescription: "unknown value \"\(value)\"; see the allowed values in /api/v1/openapi.json"))
    }
}
