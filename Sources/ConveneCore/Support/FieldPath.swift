/// A path to a field in a JSON input or a pack file, written as a person reads it:
/// `events[2].at`, `timescales[0].within.hours`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let description: String

    public init(_ text: String) {
        description = text
    }

    public init(stringLiteral value: String) {
        description = value
    }

    public init(_ codingPath: [any CodingKey]) {
        var text = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        description = text
    }

    public func appending(_ key: String) -> FieldPath {
        FieldPath(description.isEmpty ? key : description + "." + key)
    }

    public func index(_ i: Int) -> FieldPath {
        FieldPath(description + "[\(i)]")
    }
}

/// A coding key for any string or index, for reading containers whose keys are not known.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
