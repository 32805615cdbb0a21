import ConveneCore

/// Operations name fields as the pages' forms do (`chair`, `cancelReason`, `mode.<id>`); the
/// API's bodies name them differently (`chairId`, `reason`, `attendance[2].invitationId`). This
/// renames the field paths of a refusal so that every error names a field of the request sent.
enum APIFieldNames {
    typealias Rename = @Sendable (String) -> String?

    /// Runs `work`, renaming the fields of any `ValidationFailure` it throws.
    static func renaming<T>(_ rename: Rename, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let failure as ValidationFailure {
            throw ValidationFailure(errors: failure.errors.map { Self.rename($0, rename) })
        } catch let error as InputError {
            throw Self.rename(error, rename)
        }
    }

    static func rename(_ error: InputError, _ rename: Rename) -> InputError {
        let path = error.field.description
        return rename(path).map { InputError(field: FieldPath($0), error.message) } ?? error
    }

    /// Renames a field and anything under it: `chair` → `chairId`, `decisions.<id>.outcome` → `decision.outcome`.
    static func table(_ names: [String: String]) -> Rename {
        { path in
            for (from, to) in names {
                if path == from { return to }
                if path.hasPrefix(from + ".") || path.hasPrefix(from + "[") { return to + path.dropFirst(from.count) }
            }
            return nil
        }
    }
}
