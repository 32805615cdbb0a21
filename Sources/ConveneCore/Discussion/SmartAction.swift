import Foundation

/// An agreed action (ACT-ALL-01) or a safety plan item (ACT-ALL-02).
public struct SmartAction: Codable, Hashable, Sendable, Identifiable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case action
        case safetyPlan = "safety-plan"
    }

    public enum Term: String, Codable, CaseIterable, Sendable {
        case immediate
        case shortTerm = "short-term"

        public var label: String {
            switch self {
            case .immediate: "Immediate"
            case .shortTerm: "Short term"
            }
        }
    }

    public enum Status: String, Codable, CaseIterable, Sendable {
        case open
        case inProgress = "in-progress"
        case done
        case cancelled

        public var label: String {
            switch self {
            case .open: "Not started"
            case .inProgress: "In progress"
            case .done: "Done"
            case .cancelled: "Cancelled"
            }
        }
    }

    public var id: UUID
    public var kind: Kind
    public var term: Term?
    /// Specific: what will be done.
    public var what: String
    /// The named person responsible.
    public var owner: String
    public var ownerPersonID: UUID?
    public var agency: String
    /// Time-bound: the date it is due.
    public var due: LocalDate?
    /// Why: the purpose of the action.
    public var purpose: String
    /// How and when progress is reviewed.
    public var review: String
    public var childID: UUID?
    public var status: Status
    public var statusNote: String
    public var completedAt: Date?

    public init(id: UUID = UUID(), kind: Kind = .action, term: Term? = nil, what: String, owner: String,
                ownerPersonID: UUID? = nil, agency: String, due: LocalDate?, purpose: String, review: String,
                childID: UUID? = nil, status: Status = .open, statusNote: String = "", completedAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.term = term
        self.what = what
        self.owner = owner
        self.ownerPersonID = ownerPersonID
        self.agency = agency
        self.due = due
        self.purpose = purpose
        self.review = review
        self.childID = childID
        self.status = status
        self.statusNote = statusNote
        self.completedAt = completedAt
    }

    /// Every SMART element, by field (ACT-ALL-01).
    public func validate(pack: ProcedurePack, meetingDate: LocalDate, path: FieldPath = "") -> [InputError] {
        var v = FieldChecks()
        v.text(what, path.appending("what"), "Say what will be done", max: 2000)
        v.text(owner, path.appending("owner"), "Name the person responsible", max: 200)
        v.check(pack.agencies.contains { $0.id == agency }, path.appending("agency"), "Choose the agency responsible")
        if let due {
            v.check(due >= meetingDate, path.appending("due"), "The due date must be on or after the meeting")
        } else {
            v.fail(path.appending("due"), "Enter the date it is due")
        }
        v.text(purpose, path.appending("purpose"), "Say what the action is for", max: 2000)
        if kind == .action {
            v.text(review, path.appending("review"), "Say how and when progress will be reviewed", max: 2000)
        } else if term == nil {
            v.fail(path.appending("term"), "Say whether this is an immediate or short-term safety action")
        }
        return v.errors
    }

    /// Overdue actions are shown to the chair and the responsible person (ACT-ALL-03).
    public func isOverdue(today: LocalDate) -> Bool {
        guard let due, status == .open || status == .inProgress else { return false }
        return due < today
    }
}
