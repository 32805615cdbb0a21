import Foundation

/// Collects every field-level problem of a form or API body, so a page can list them all in
/// its error summary and the API can return them together.
public struct FieldChecks: Sendable {
    public private(set) var errors: [InputError] = []

    public init() {}

    public var isValid: Bool { errors.isEmpty }

    public mutating func fail(_ field: FieldPath, _ message: String) {
        errors.append(InputError(field: field, message))
    }

    /// The trimmed text, or nil after recording `message` when it is empty.
    @discardableResult
    public mutating func text(_ value: String?, _ field: FieldPath, _ message: String, max: Int = 20_000) -> String? {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            fail(field, message)
            return nil
        }
        if trimmed.count > max {
            fail(field, "must be \(max) characters or fewer")
            return nil
        }
        return trimmed
    }

    /// Records a problem when optional text is too long.
    public mutating func limit(_ value: String?, _ field: FieldPath, max: Int = 20_000) {
        if let value, value.count > max {
            fail(field, "must be \(max) characters or fewer")
        }
    }

    public mutating func check(_ condition: Bool, _ field: FieldPath, _ message: String) {
        if !condition { fail(field, message) }
    }

    public mutating func merge(_ other: [InputError]) {
        errors += other
    }

    /// Throws the collected errors, if any.
    public func finish() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors: errors) }
    }
}

/// One or more field-level problems with an input.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let errors: [InputError]

    public init(errors: [InputError]) {
        self.errors = errors
    }

    public init(_ error: InputError) {
        errors = [error]
    }

    public var description: String {
        errors.map(\.description).joined(separator: "; ")
    }
}

/// Text fields are trimmed; an empty string means "not answered".
extension String {
    public var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
    public var isBlank: Bool { trimmed.isEmpty }

    /// The text with its first letter in capitals ("strategy discussion" → "Strategy discussion").
    public var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }

    /// The text, or `replacement` when it is blank ("–" in a table).
    public func ifBlank(_ replacement: String) -> String {
        isBlank ? replacement : self
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
