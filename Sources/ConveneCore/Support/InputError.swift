/// Bad input, named by the field it is in: what the CLI prints as
/// `{"error": "...", "field": "events[2].at"}`, the API as problem details and the pages
/// beside the field.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    public let field: FieldPath
    public let message: String

    public init(field: FieldPath, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.description.isEmpty ? message : "\(field): \(message)"
    }

    /// Turns a `DecodingError` from JSONDecoder or YAMLDecoder into a field-level message.
    public init(_ error: DecodingError) {
        switch error {
        case let .keyNotFound(key, context):
            self.init(field: FieldPath(context.codingPath + [key]), "is required")
        case let .valueNotFound(type, context):
            self.init(field: FieldPath(context.codingPath), "must be \(InputError.describe(type)), not null")
        case let .typeMismatch(type, context):
            self.init(field: FieldPath(context.codingPath), "must be \(InputError.describe(type))")
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                self.init(field: "", "is not valid JSON or YAML: \(InputError.rootCause(context))")
            } else {
                self.init(field: FieldPath(context.codingPath), context.debugDescription)
            }
        @unknown default:
            self.init(field: "", "could not be read")
        }
    }

    static func rootCause(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError {
            return String(describing: underlying)
        }
        return context.debugDescription
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "a list"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
