import Foundation

public enum ChecklistResponse: String, Codable, CaseIterable, Sendable {
    case yes
    case no
    case notApplicable = "not-applicable"

    public var label: String {
        switch self {
        case .yes: "Yes, covered"
        case .no: "No"
        case .notApplicable: "Not applicable"
        }
    }
}

public struct ChecklistAnswer: Codable, Hashable, Sendable {
    public var response: ChecklistResponse
    public var note: String

    public init(response: ChecklistResponse, note: String = "") {
        self.response = response
        self.note = note
    }
}

/// The chair's notes of the meeting, by agenda item (and child), the checklist answers and
/// the parts of the record that are not decisions or actions.
public struct RecordContent: Codable, Hashable, Sendable {
    /// Keyed by agenda item id, or `itemID/childUUID` for per-child items.
    public var sections: [String: String]
    public var checklist: [String: ChecklistAnswer]
    /// Who monitors the progress of the enquiry overall, and how (ACT-ALL-01).
    public var monitoredBy: String
    /// When no safety plan is needed, why (ACT-ALL-02).
    public var safetyPlanNotRequiredReason: String
    /// When the summary of agreed actions went to the attendees (ACT-003-01).
    public var actionSummaryIssuedAt: Date?

    public init(sections: [String: String] = [:], checklist: [String: ChecklistAnswer] = [:], monitoredBy: String = "",
                safetyPlanNotRequiredReason: String = "") {
        self.sections = sections
        self.checklist = checklist
        self.monitoredBy = monitoredBy
        self.safetyPlanNotRequiredReason = safetyPlanNotRequiredReason
    }

    public static func key(_ item: String, child: UUID?) -> String {
        child.map { "\(item)/\($0.uuidString.lowercased())" } ?? item
    }

    public func section(_ item: String, child: UUID? = nil) -> String {
        sections[RecordContent.key(item, child: child)] ?? ""
    }
}

/// A written part of the record an invitee may ask to correct and the chair corrects in place
/// (REC-001-01, REC-002-02, issue 14): an agenda item's notes (per child where the pack asks),
/// or who monitors the enquiry.
public struct CorrectablePart: Hashable, Sendable {
    /// `sections.<item>`, `sections.<item>/<child>` or `monitoredBy`.
    public let key: String
    public let label: String
    public let text: String
}

extension RecordContent {
    /// The parts with text, in the order the record shows them.
    public func correctableParts(pack: ProcedurePack, children: [ChildDetails]) -> [CorrectablePart] {
        var parts: [CorrectablePart] = []
        for item in pack.agenda {
            for child in item.perChild ? children.map(Optional.some) : [nil] {
                let text = section(item.id, child: child?.id)
                guard !text.isBlank else { continue }
                parts.append(CorrectablePart(key: "sections." + RecordContent.key(item.id, child: child?.id),
                                             label: item.title + (child.map { " – " + $0.name } ?? ""), text: text))
            }
        }
        if !monitoredBy.isBlank {
            parts.append(CorrectablePart(key: "monitoredBy", label: "Who monitors the enquiry, and how", text: monitoredBy))
        }
        return parts
    }

    /// Puts a part's corrected text in place; false when the key names no part of the record.
    public mutating func correct(_ key: String, to text: String) -> Bool {
        if key == "monitoredBy" {
            monitoredBy = text
            return true
        }
        guard key.hasPrefix("sections."), sections[String(key.dropFirst("sections.".count))] != nil else { return false }
        sections[String(key.dropFirst("sections.".count))] = text
        return true
    }
}

/// A child's decisions, as stored in a record version.
public struct ChildDecisionEntry: Codable, Hashable, Sendable {
    public var childID: UUID
    public var decision: ChildDecision

    public init(childID: UUID, decision: ChildDecision) {
        self.childID = childID
        self.decision = decision
    }
}

/// Everything the record of a discussion holds at one moment: what is versioned, finalised,
/// authorised and circulated (AGN-001-02, REC-ALL-01, REC-002-02).
public struct RecordSnapshot: Codable, Hashable, Sendable {
    public var packID: String
    public var reference: String
    public var meetingStart: Date?
    public var chair: String
    public var minuteTaker: String
    public var children: [ChildDetails]
    public var presentingIssue: String
    public var rationale: String
    public var attendance: [AttendanceEntry]
    public var quoracy: QuoracyCheck?
    public var content: RecordContent
    public var decisions: [ChildDecisionEntry]
    public var actions: [SmartAction]

    public init(packID: String, reference: String, meetingStart: Date?, chair: String, minuteTaker: String,
                children: [ChildDetails], presentingIssue: String, rationale: String, attendance: [AttendanceEntry],
                quoracy: QuoracyCheck?, content: RecordContent, decisions: [ChildDecisionEntry], actions: [SmartAction]) {
        self.packID = packID
        self.reference = reference
        self.meetingStart = meetingStart
        self.chair = chair
        self.minuteTaker = minuteTaker
        self.children = children
        self.presentingIssue = presentingIssue
        self.rationale = rationale
        self.attendance = attendance
        self.quoracy = quoracy
        self.content = content
        self.decisions = decisions
        self.actions = actions
    }

    public func decision(for child: UUID) -> ChildDecision? {
        decisions.first { $0.childID == child }?.decision
    }
}

/// What stops a record being finalised: every required checklist item, record area,
/// decision, rationale and SMART element, listed by field so the page can link to each.
public enum RecordReview {
    public static func missing(pack: ProcedurePack, record: RecordSnapshot) -> [InputError] {
        var v = FieldChecks()
        let meetingDate = record.meetingStart.map(EuropeLondon.localDate) ?? LocalDate(dayNumber: 0)

        // ATT-ALL-03: who was invited, who attended and how; quoracy checked before decisions.
        if record.attendance.isEmpty || record.attendance.contains(where: { $0.mode == nil }) {
            v.fail("attendance", "Record how each invitee took part, or their apologies")
        }
        if let quoracy = record.quoracy {
            v.check(quoracy.allowsDecisions, "quoracy", "The discussion was not quorate: record why the chair went ahead, or reconvene")
        } else {
            v.fail("quoracy", "Check quoracy before recording decisions")
        }

        for item in pack.checklist where item.requiredForFinal {
            v.check(record.content.checklist[item.id] != nil, FieldPath("checklist").appending(item.id),
                    "Answer the checklist item: \(item.text)")
        }

        for area in pack.recordAreas {
            switch area.from {
            case let .agenda(itemID):
                let perChild = pack.agenda.first { $0.id == itemID }?.perChild ?? false
                if perChild {
                    for child in record.children {
                        v.check(!record.content.section(itemID, child: child.id).isBlank,
                                FieldPath("sections").appending(RecordContent.key(itemID, child: child.id)),
                                "Complete “\(area.title)” for \(child.name)")
                    }
                } else {
                    v.check(!record.content.section(itemID).isBlank, FieldPath("sections").appending(itemID),
                            "Complete “\(area.title)”")
                }
            case .attendance, .decisions:
                continue // checked above and below
            case .actions:
                v.check(record.actions.contains { $0.kind == .action && $0.status != .cancelled }, "actions",
                        "Agree at least one SMART action")
            case .safetyPlan:
                v.check(record.actions.contains { $0.kind == .safetyPlan && $0.status != .cancelled }
                            || !record.content.safetyPlanNotRequiredReason.isBlank,
                        "safetyPlan", "Add the safety plan, or say why none is needed")
            }
        }

        for child in record.children {
            let path = FieldPath("decisions").appending(child.id.uuidString.lowercased())
            if let decision = record.decision(for: child.id) {
                // With more than one child, each item says whose decisions it is about.
                let named = record.children.count > 1
                v.merge(decision.missing(pack: pack, path: path, meetingDate: meetingDate)
                    .map { named ? InputError(field: $0.field, child.name + ": " + $0.message) : $0 })
            } else {
                v.fail(path.appending("outcome"), "Record the decisions for \(child.name)")
            }
        }

        for (i, action) in record.actions.enumerated() where action.status != .cancelled {
            v.merge(action.validate(pack: pack, meetingDate: meetingDate, path: FieldPath("actions").index(i)))
        }
        v.text(record.content.monitoredBy, "monitoredBy", "Say who monitors the progress of the enquiry and how")
        return v.errors
    }
}
