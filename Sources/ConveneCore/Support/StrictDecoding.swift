import Foundation

extension Decoder {
    /// A keyed container that refuses keys the type does not know, so that a misspelt key in
    /// a pack file or an API body is an error naming it, not a rule silently ignored.
    func strictContainer<K: CodingKey & CaseIterable>(keyedBy keys: K.Type) throws -> KeyedDecodingContainer<K> {
        let all = try container(keyedBy: AnyCodingKey.self)
        let allowed = K.allCases.map(\.stringValue)
        for key in all.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "unknown key \"\(key.stringValue)\"; expected one of: \(allowed.joined(separator: ", "))"))
        }
        return try container(keyedBy: K.self)
    }
}

extension KeyedDecodingContainer {
    /// An instant in RFC 3339 form with a zone, e.g. `2026-12-24T09:00:00Z`.
    func decodeInstant(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        return try KeyedDecodingContainer.instant(text, key: key, in: self)
    }

    func decodeInstantIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        return try KeyedDecodingContainer.instant(text, key: key, in: self)
    }

    /// An instant, or a calendar date meaning the end of that day in London.
    func decodeDeadlineIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        if let date = LocalDate(text) {
            return EuropeLondon.endOfDay(date)
        }
        return try KeyedDecodingContainer.instant(text, key: key, in: self)
    }

    private static func instant(_ text: String, key: Key, in container: Self) throws -> Date {
        do {
            return try RFC3339.parseOrThrow(text)
        } catch .missingZone {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\"\(text)\" has no time zone; write it in UTC with Z, e.g. 2026-12-24T09:00:00Z")
        } catch .invalidDate {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "\"\(text)\" is not a real date and time")
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\"\(text)\" is not a date and time; expected e.g. 2026-12-24T09:00:00Z")
        }
    }

    /// A value from a closed vocabulary (a raw-value enum), with the allowed values in the error.
    func decodeTerm<T: RawRepresentable & CaseIterable>(_ type: T.Type, forKey key: Key) throws -> T
    where T.RawValue == String {
        let text = try decode(String.self, forKey: key)
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "unknown value \"\(text)\"; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func decodeTermIfPresent<T: RawRepresentable & CaseIterable>(_ type: T.Type, forKey key: Key) throws -> T?
    where T.RawValue == String {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeTerm(type, forKey: key)
    }
}
