import ConveneCore
import Foundation

/// An instant from an RFC 3339 literal in a test: `at("2026-12-24T10:00:00Z")`.
public func at(_ text: String) -> Date {
    guard let date = RFC3339.parse(text) else { preconditionFailure("bad instant literal \(text)") }
    return date
}

/// A calendar date from `YYYY-MM-DD`.
public func day(_ text: String) -> LocalDate {
    guard let date = LocalDate(text) else { preconditionFailure("bad date literal \(text)") }
    return date
}

/// The shipped procedure packs, loaded once for all tests.
public enum Packs {
    public static let library: PackLibrary = {
        do {
            return try PackLibrary.builtIn()
        } catch {
            preconditionFailure("the shipped packs must load: \(error)")
        }
    }()

    public static func named(_ id: String) -> ProcedurePack {
        guard let pack = library.pack(id) else { preconditionFailure("no pack \(id)") }
        return pack
    }

    public static var frontDoor: ProcedurePack { named("front-door") }
    public static var bradford: ProcedurePack { named("bradford") }
    public static var hertfordshire: ProcedurePack { named("hertfordshire") }
    public static var devonMash: ProcedurePack { named("devon-mash") }
    public static var northYorkshire: ProcedurePack { named("north-yorkshire") }
}

/// Short constructors for timeline events, so tests read like a case history.
public enum Event {
    public static func concern(_ time: String) -> TimelineEvent { .concernReceived(at: at(time)) }
    public static func immediateAction(_ time: String) -> TimelineEvent { .immediateAction(at: at(time)) }
    public static func request(_ time: String, _ urgency: Urgency = .standard, agreedDue: String? = nil) -> TimelineEvent {
        .requestMade(at: at(time), urgency: urgency, agreedDue: agreedDue.map(at), rationale: agreedDue == nil ? nil : "agreed")
    }
    public static func discussion(_ id: String, _ time: String, outcome: DiscussionOutcome? = nil, faceToFace: Bool = false,
                                  furtherBy: String? = nil, lado: Bool = false) -> TimelineEvent {
        .discussionHeld(HeldDiscussion(id: id, at: at(time), faceToFace: faceToFace, outcome: outcome,
                                       furtherDiscussionBy: furtherBy.map(at), ladoReferralNeeded: lado))
    }
    public static func actionSummary(_ id: String, _ time: String) -> TimelineEvent { .actionSummaryIssued(at: at(time), discussion: id) }
    public static func minutesAuthorised(_ id: String, _ time: String) -> TimelineEvent { .minutesAuthorised(at: at(time), discussion: id) }
    public static func minutesCirculated(_ id: String, _ time: String) -> TimelineEvent { .minutesCirculated(at: at(time), discussion: id) }
    public static func ladoReferral(_ time: String) -> TimelineEvent { .ladoReferralMade(at: at(time)) }
    public static func s47Completed(_ time: String, icpcRequired: Bool? = true) -> TimelineEvent {
        .s47Completed(at: at(time), icpcRequired: icpcRequired)
    }
    public static func icpc(_ time: String) -> TimelineEvent { .icpcHeld(at: at(time)) }
    public static func assessment(_ time: String) -> TimelineEvent { .assessmentCompleted(at: at(time)) }
}

extension ProcedurePack {
    /// Evaluates a timeline under this pack.
    public func duties(_ events: [TimelineEvent], facts: CaseFacts = CaseFacts(), asOf: String) -> [DutyAssessment] {
        TimescaleEngine(pack: self).evaluate(Timeline(facts: facts, events: events), asOf: at(asOf))
    }

    public func slot(requestedAt: String, urgency: Urgency = .standard, booked: [String] = []) throws -> SlotOffer {
        try SlotEngine(pack: self).nextFree(SlotRequest(requestedAt: at(requestedAt), urgency: urgency, booked: booked.map(at)))
    }

    public func attendance(urgent: Bool = false, concerns: [String] = [], child: ChildCircumstances = ChildCircumstances(),
                           attendees: [Attendee]) -> AttendanceAnswer {
        AttendanceEngine(pack: self).evaluate(
            AttendanceQuestion(urgent: urgent, concerns: concerns, child: child, attendees: attendees))
    }
}

extension Array where Element == DutyAssessment {
    /// The one assessment of a duty (for a discussion); nil when absent.
    public func duty(_ duty: Duty, discussion: String? = nil) -> DutyAssessment? {
        first { $0.duty == duty && $0.discussion == discussion }
    }
}

/// Attendees by the shorthand the tests use: "csc:social-worker", "police", "health".
public func attendees(_ specs: String...) -> [Attendee] {
    specs.map { spec in
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        return Attendee(agency: parts[0], role: parts.count > 1 ? parts[1] : nil)
    }
}

/// The core attendance every pack's quorum is built from.
public let fullCore = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "police", "health")
