import Foundation

/// How long a duty may take, in the procedures' own terms (INT-ALL-01..05).
public enum Timescale: Hashable, Sendable {
    /// Elapsed clock time: "within N hours" (INT-ALL-01); a clock change does not shift it.
    case elapsed(seconds: Int)
    /// By the end of the Nth working day after the basis date (INT-ALL-02).
    case workingDays(Int)
    /// By the end of the basis event's London date (INT-ALL-04).
    case sameDay
    /// By the time agreed with the service manager on the request (urgency "other").
    case agreedDue
    /// By the date the discussion itself set for the next one (TIME-000-03).
    case furtherDiscussionBy

    /// How the deadline reads to a person: "within 24 hours", "within 1 working day".
    public var wording: String {
        switch self {
        case let .elapsed(seconds) where seconds % 3600 == 0:
            let hours = seconds / 3600
            return "within \(hours) hour\(hours == 1 ? "" : "s")"
        case let .elapsed(seconds):
            let minutes = seconds / 60
            return "within \(minutes) minute\(minutes == 1 ? "" : "s")"
        case let .workingDays(n):
            return "within \(n) working day\(n == 1 ? "" : "s")"
        case .sameDay:
            return "the same day"
        case .agreedDue:
            return "by the time agreed with the service manager"
        case .furtherDiscussionBy:
            return "by the date the discussion set"
        }
    }
}

extension Timescale: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case hours, minutes, workingDays, sameDay, agreedDue, furtherDiscussionBy
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "give exactly one of: \(Keys.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        func positive(_ key: Keys) throws -> Int {
            let n = try c.decode(Int.self, forKey: key)
            guard n > 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be a whole number above 0")
            }
            return n
        }
        func flag(_ key: Keys) throws {
            guard try c.decode(Bool.self, forKey: key) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be true (or leave it out)")
            }
        }
        switch key {
        case .hours: self = .elapsed(seconds: try positive(.hours) * 3600)
        case .minutes: self = .elapsed(seconds: try positive(.minutes) * 60)
        case .workingDays: self = .workingDays(try positive(.workingDays))
        case .sameDay: try flag(.sameDay); self = .sameDay
        case .agreedDue: try flag(.agreedDue); self = .agreedDue
        case .furtherDiscussionBy: try flag(.furtherDiscussionBy); self = .furtherDiscussionBy
        }
    }
}

/// A length of time in a pack (slot length, lead time): `{hours: 24}` or `{minutes: 30}`.
public struct PackDuration: Hashable, Sendable, Decodable {
    public let seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    enum Keys: String, CodingKey, CaseIterable {
        case hours, minutes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        let hours = try c.decodeIfPresent(Int.self, forKey: .hours) ?? 0
        let minutes = try c.decodeIfPresent(Int.self, forKey: .minutes) ?? 0
        guard hours >= 0, minutes >= 0, c.allKeys.count >= 1 else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "give hours and/or minutes, each 0 or more"))
        }
        seconds = hours * 3600 + minutes * 60
    }
}
