import Foundation

/// Reads the engines' JSON contract (docs/cli.md) into core types, naming the field of any
/// mistake. Shared by the CLI and the HTTP API so both report the same errors.
public enum Contract {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(InputError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as InputError {
            throw error
        } catch let error as DecodingError {
            throw InputError(error)
        } catch {
            throw InputError(field: "", "is not valid JSON")
        }
    }

    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own output types cannot fail: they hold strings, numbers and booleans only.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}

/// `timescales` input: `{"asOf", "case", "events", "overrides"}`.
public struct TimescalesInput: Decodable, Sendable {
    public let asOf: Date?
    public let timeline: Timeline
    public let overrides: [DeadlineOverride]

    enum Keys: String, CodingKey {
        case asOf, `case`, events, overrides
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        asOf = try c.decodeInstantIfPresent(forKey: .asOf)
        let facts = try c.decodeIfPresent(CaseFactsInput.self, forKey: .case)?.facts ?? CaseFacts()
        let inputs = try c.decode([EventInput].self, forKey: .events)
        // A discussion without an id is `d1`, `d2`… in the order the discussions were held
        // (docs/cli.md), wherever it stands in the array.
        var events = inputs.map(\.event)
        let held = events.indices.filter { events[$0].type == .discussionHeld }
            .sorted { (events[$0].at, $0) < (events[$1].at, $1) }
        for (n, i) in held.enumerated() where !inputs[i].namedDiscussion {
            if case var .discussionHeld(d) = events[i] {
                d.id = "d\(n + 1)"
                events[i] = .discussionHeld(d)
            }
        }
        overrides = try c.decodeIfPresent([OverrideInput].self, forKey: .overrides)?.map(\.value) ?? []

        // Cross-references: per-discussion events must name a discussion that exists.
        var ids = Set<String>()
        for (i, event) in events.enumerated() {
            if case let .discussionHeld(d) = event, !ids.insert(d.id).inserted {
                throw InputError(field: FieldPath("events").index(i).appending("id"),
                                 "discussion id \"\(d.id)\" is used by an earlier discussion-held event")
            }
        }
        for (i, event) in events.enumerated() where event.type != .discussionHeld {
            if let id = event.discussionID, !ids.contains(id) {
                throw InputError(field: FieldPath("events").index(i).appending("discussion"),
                                 "no discussion-held event has id \"\(id)\"")
            }
        }
        for (i, override) in overrides.enumerated() {
            if let id = override.discussion, !ids.contains(id) {
                throw InputError(field: FieldPath("overrides").index(i).appending("discussion"),
                                 "no discussion-held event has id \"\(id)\"")
            }
        }
        timeline = Timeline(facts: facts, events: events)
    }
}

struct CaseFactsInput: Decodable {
    let facts: CaseFacts

    enum Keys: String, CodingKey {
        case type, complex, immediateConcerns
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        facts = CaseFacts(
            type: try c.decodeTermIfPresent(CaseType.self, forKey: .type) ?? .newReferral,
            complex: try c.decodeIfPresent(Bool.self, forKey: .complex) ?? false,
            immediateConcerns: try c.decodeIfPresent(Bool.self, forKey: .immediateConcerns) ?? false)
    }
}

struct EventInput: Decodable {
    let event: TimelineEvent
    /// Whether a discussion-held event named its own id.
    var namedDiscussion = false

    enum Keys: String, CodingKey {
        case type, at, urgency, agreedDue, rationale, id, faceToFace, outcome, furtherDiscussionBy
        case ladoReferralNeeded, discussion, icpcRequired
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decodeTerm(EventType.self, forKey: .type)
        let at = try c.decodeInstant(forKey: .at)
        func text(_ key: Keys) throws -> String {
            let value = try c.decode(String.self, forKey: key).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must not be empty")
            }
            return value
        }
        switch type {
        case .concernReceived: event = .concernReceived(at: at)
        case .immediateAction: event = .immediateAction(at: at)
        case .requestMade:
            let urgency = try c.decodeTerm(Urgency.self, forKey: .urgency)
            var agreedDue: Date?
            var rationale: String?
            if urgency == .other {
                // Outside the standard timescale only with the service manager's rationale (REQ-001-01).
                agreedDue = try c.decodeInstant(forKey: .agreedDue)
                rationale = try text(.rationale)
                if agreedDue! < at {
                    throw DecodingError.dataCorruptedError(
                        forKey: .agreedDue, in: c, debugDescription: "must not be before the request (at)")
                }
            } else {
                agreedDue = try c.decodeInstantIfPresent(forKey: .agreedDue)
                rationale = try c.decodeIfPresent(String.self, forKey: .rationale)
            }
            event = .requestMade(at: at, urgency: urgency, agreedDue: agreedDue, rationale: rationale)
        case .requestDeclined: event = .requestDeclined(at: at)
        case .discussionHeld:
            let id = try c.decodeIfPresent(String.self, forKey: .id)
            namedDiscussion = id != nil
            event = .discussionHeld(HeldDiscussion(
                id: id ?? "",
                at: at,
                faceToFace: try c.decodeIfPresent(Bool.self, forKey: .faceToFace) ?? false,
                outcome: try c.decodeTermIfPresent(DiscussionOutcome.self, forKey: .outcome),
                furtherDiscussionBy: try c.decodeDeadlineIfPresent(forKey: .furtherDiscussionBy),
                ladoReferralNeeded: try c.decodeIfPresent(Bool.self, forKey: .ladoReferralNeeded) ?? false))
        case .actionSummaryIssued: event = .actionSummaryIssued(at: at, discussion: try text(.discussion))
        case .minutesAuthorised: event = .minutesAuthorised(at: at, discussion: try text(.discussion))
        case .minutesCirculated: event = .minutesCirculated(at: at, discussion: try text(.discussion))
        case .ladoReferralMade: event = .ladoReferralMade(at: at)
        case .s47Completed: event = .s47Completed(at: at, icpcRequired: try c.decodeIfPresent(Bool.self, forKey: .icpcRequired))
        case .icpcHeld: event = .icpcHeld(at: at)
        case .assessmentCompleted: event = .assessmentCompleted(at: at)
        }
    }
}

struct OverrideInput: Decodable {
    let value: DeadlineOverride

    enum Keys: String, CodingKey {
        case duty, discussion, due, rationale, approvedBy
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        func text(_ key: Keys) throws -> String {
            let value = try c.decode(String.self, forKey: key).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must not be empty")
            }
            return value
        }
        // A deadline changes only with a recorded rationale and the approving manager (INT-ALL-06).
        value = DeadlineOverride(
            duty: try c.decodeTerm(Duty.self, forKey: .duty),
            discussion: try c.decodeIfPresent(String.self, forKey: .discussion),
            due: try c.decodeInstant(forKey: .due),
            rationale: try text(.rationale),
            approvedBy: try text(.approvedBy))
    }
}

/// `slots` input: `{"requestedAt", "urgency", "booked", "notBefore"}`.
public struct SlotsInput: Decodable, Sendable {
    public let request: SlotRequest

    enum Keys: String, CodingKey {
        case requestedAt, urgency, booked, notBefore
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var booked: [Date] = []
        if c.contains(.booked) {
            var list = try c.nestedUnkeyedContainer(forKey: .booked)
            while !list.isAtEnd {
                let text = try list.decode(String.self)
                guard let instant = RFC3339.parse(text) else {
                    throw InputError(field: FieldPath("booked").index(list.currentIndex - 1),
                                     "\"\(text)\" is not a date and time with a zone, e.g. 2026-12-24T09:00:00Z")
                }
                booked.append(instant)
            }
        }
        request = SlotRequest(
            requestedAt: try c.decodeInstant(forKey: .requestedAt),
            urgency: try c.decodeTermIfPresent(Urgency.self, forKey: .urgency) ?? .standard,
            booked: booked,
            notBefore: try c.decodeInstantIfPresent(forKey: .notBefore))
    }
}

/// `attendance` input: `{"urgent", "concerns", "child", "attendees"}`.
public struct AttendanceInput: Decodable, Sendable {
    public let question: AttendanceQuestion

    enum Keys: String, CodingKey {
        case urgent, complex, concerns, child, attendees
    }

    enum ChildKeys: String, CodingKey {
        case lookedAfter, youthJusticeOpen, inPatient, hospitalServices
    }

    enum AttendeeKeys: String, CodingKey {
        case agency, role
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var child = ChildCircumstances()
        if c.contains(.child) {
            let k = try c.nestedContainer(keyedBy: ChildKeys.self, forKey: .child)
            child.lookedAfter = try k.decodeIfPresent(Bool.self, forKey: .lookedAfter) ?? false
            child.youthJusticeOpen = try k.decodeIfPresent(Bool.self, forKey: .youthJusticeOpen) ?? false
            child.inPatient = try k.decodeIfPresent(Bool.self, forKey: .inPatient) ?? false
            child.hospitalServices = try k.decodeIfPresent(Bool.self, forKey: .hospitalServices) ?? false || child.inPatient
        }
        var attendees: [Attendee] = []
        if c.contains(.attendees) {
            var list = try c.nestedUnkeyedContainer(forKey: .attendees)
            while !list.isAtEnd {
                let a = try list.nestedContainer(keyedBy: AttendeeKeys.self)
                attendees.append(Attendee(agency: try a.decode(String.self, forKey: .agency),
                                          role: try a.decodeIfPresent(String.self, forKey: .role)))
            }
        }
        question = AttendanceQuestion(
            urgent: try c.decodeIfPresent(Bool.self, forKey: .urgent) ?? false,
            complex: try c.decodeIfPresent(Bool.self, forKey: .complex) ?? false,
            concerns: try c.decodeIfPresent([String].self, forKey: .concerns) ?? [],
            child: child,
            attendees: attendees)
    }

    /// Agencies and concerns must be ones the pack knows: a misspelt concern would silently
    /// drop a required invitee.
    public func validated(for pack: ProcedurePack) throws(InputError) -> AttendanceQuestion {
        let agencies = Set(pack.agencies.map(\.id))
        let concerns = Set(pack.concerns.map(\.id))
        for (i, concern) in question.concerns.enumerated() where !concerns.contains(concern) {
            throw InputError(field: FieldPath("concerns").index(i),
                             "unknown concern \"\(concern)\"; expected one of: \(concerns.sorted().joined(separator: ", "))")
        }
        for (i, attendee) in question.attendees.enumerated() where !agencies.contains(attendee.agency) {
            throw InputError(field: FieldPath("attendees").index(i).appending("agency"),
                             "unknown agency \"\(attendee.agency)\"; expected one of: \(agencies.sorted().joined(separator: ", "))")
        }
        return question
    }
}
