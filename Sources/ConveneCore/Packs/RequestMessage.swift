import Foundation

/// REQ-002-01: the message a procedure sends to named agencies when a discussion is booked
/// (Hertfordshire's "S47 Strategy Teleconference Request"): its title, who receives it, and
/// what the extract behind its personal link holds. The message itself carries only the title
/// and the link; the extract opens with an access code sent separately ("password protected").
public struct RequestMessageRules: Hashable, Sendable {
    /// The parts an extract may hold.
    public enum Part: String, CaseIterable, Hashable, Sendable {
        case teleconference
        case demographics
        case relationships
        case reasonForReferral = "reason-for-referral"

        public var title: String {
            switch self {
            case .teleconference: "The teleconference"
            case .demographics: "The children"
            case .relationships: "Relationships"
            case .reasonForReferral: "Reason for the referral"
            }
        }
    }

    public static let placeholders = ["childName", "caseNumber", "dateOfBirth", "reference"]

    public let rule: RequirementID
    /// e.g. "S47 Strategy Teleconference Request – {childName}, {caseNumber}, {dateOfBirth}".
    public let title: String
    public let to: [String]
    public let extract: [Part]
    /// Booking captures the teleconference's duration, dial-in number and access code as fields.
    public let teleconference: Bool
    public let source: String

    public init(rule: RequirementID, title: String, to: [String], extract: [Part], teleconference: Bool, source: String) {
        self.rule = rule
        self.title = title
        self.to = to
        self.extract = extract
        self.teleconference = teleconference
        self.source = source
    }

    /// The title for a request: each placeholder filled from the children (several children
    /// are listed in turn).
    public func title(for request: DiscussionRequest, reference: String) -> String {
        let children = request.children
        func list(_ value: (ChildDetails) -> String) -> String {
            children.map(value).filter { !$0.isEmpty }.joined(separator: " and ")
        }
        return title
            .replacingOccurrences(of: "{childName}", with: list(\.name))
            .replacingOccurrences(of: "{caseNumber}", with: list(\.caseNumber))
            .replacingOccurrences(of: "{dateOfBirth}", with: list { child in
                child.dateOfBirth.map { UKDisplay.date($0, weekday: false) } ?? (child.unborn ? "unborn" : "")
            })
            .replacingOccurrences(of: "{reference}", with: reference)
    }

    /// The extract's sections, in the order the pack lists them.
    public func sections(for request: DiscussionRequest, start: Date?, teleconference: Teleconference?) -> [ExtractSection] {
        extract.map { part in
            var rows: [ExtractSection.Row] = []
            switch part {
            case .teleconference:
                rows = [.init("Starts", start.map { UKDisplay.dateTime($0) } ?? "Not booked"),
                        .init("Duration", teleconference.map { "\($0.durationMinutes) minutes" } ?? "–"),
                        .init("Dial-in number", teleconference?.dialIn ?? "–"),
                        .init("Access code", teleconference?.accessCode ?? "–")]
            case .demographics:
                for child in request.children {
                    rows.append(.init(child.name, [
                        child.unborn ? "Unborn" + (child.expectedDate.map { ", due " + UKDisplay.date($0, weekday: false) } ?? "")
                            : child.dateOfBirth.map { "Born " + UKDisplay.date($0, weekday: false) } ?? "",
                        child.caseNumber.isEmpty ? "" : "case number " + child.caseNumber,
                        child.ethnicity, child.disability.isEmpty ? "" : "disability: " + child.disability, child.address,
                    ].filter { !$0.isEmpty }.joined(separator: "; ")))
                }
            case .relationships:
                for (label, people) in [("Parent or carer", request.parentsCarers), ("Other child", request.otherChildren),
                                        ("Other adult", request.otherAdults)] {
                    for person in people {
                        rows.append(.init(label, [person.name, person.dateOfBirth.map { "born " + UKDisplay.date($0, weekday: false) } ?? "",
                                                  person.address, person.checks.isEmpty ? "" : "checks: " + person.checks]
                            .filter { !$0.isEmpty }.joined(separator: "; ")))
                    }
                }
            case .reasonForReferral:
                rows = [.init("Presenting issue", request.presentingIssue),
                        .init("Date of the incident", request.incidentDate.map { UKDisplay.date($0, weekday: false) } ?? "Not known"),
                        .init("Why a discussion is needed", request.rationale)]
            }
            return ExtractSection(title: part.title, rows: rows)
        }
    }
}

/// One part of an extract.
public struct ExtractSection: Hashable, Sendable, Encodable {
    public struct Row: Hashable, Sendable, Encodable {
        public let key: String
        public let value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public let title: String
    public let rows: [Row]
}

/// A teleconference booked for a discussion (REQ-002-01): captured as fields, not free text.
public struct Teleconference: Codable, Hashable, Sendable {
    public var durationMinutes: Int
    public var dialIn: String
    public var accessCode: String

    public init(durationMinutes: Int, dialIn: String, accessCode: String) {
        self.durationMinutes = durationMinutes
        self.dialIn = dialIn
        self.accessCode = accessCode
    }

    /// Problems, by field (`duration`, `dialIn`, `accessCode`).
    public static func validate(durationMinutes: Int?, dialIn: String, accessCode: String) -> [InputError] {
        var v = FieldChecks()
        if let minutes = durationMinutes {
            v.check((5...240).contains(minutes), "duration", "Enter the duration in minutes, from 5 to 240")
        } else {
            v.fail("duration", "Enter the duration in minutes")
        }
        v.text(dialIn, "dialIn", "Enter the dial-in number", max: 40)
        if !dialIn.isBlank && !dialIn.allSatisfy({ $0.isNumber || " +()-".contains($0) }) {
            v.fail("dialIn", "Enter the dial-in number in digits, like 0800 123 4567")
        }
        v.text(accessCode, "accessCode", "Enter the teleconference access code", max: 40)
        return v.errors
    }
}

extension RequestMessageRules: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, title, to, extract, teleconference, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        title = try c.decode(String.self, forKey: .title)
        var rest = title
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw DecodingError.dataCorruptedError(forKey: .title, in: c, debugDescription: "a { has no closing }")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard Self.placeholders.contains(name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .title, in: c,
                    debugDescription: "unknown placeholder {\(name)}; use: " + Self.placeholders.map { "{\($0)}" }.joined(separator: ", "))
            }
            rest = String(rest[rest.index(after: close)...])
        }
        to = try c.decode([String].self, forKey: .to)
        guard !to.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .to, in: c, debugDescription: "name at least one agency") }
        extract = try c.decodeTermList(Part.self, forKey: .extract)
        teleconference = try c.decodeIfPresent(Bool.self, forKey: .teleconference) ?? false
        source = try c.decode(String.self, forKey: .source)
    }
}
