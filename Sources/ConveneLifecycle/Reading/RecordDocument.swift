import ConveneCore
import ConveneStore
import Foundation

/// The record of a discussion as people read it (AGN-001-02): what the record page, the
/// invitees' minutes and every kept version show, in words, from a snapshot and its pack.
public struct RecordDocument: Encodable, Sendable {
    public struct Row: Encodable, Sendable {
        public let key: String
        public let value: String
    }

    public struct Section: Encodable, Sendable {
        public let title: String
        public let rule: String
        public let rows: [Row]
    }

    public struct AttendanceRow: Encodable, Sendable {
        public let name: String
        public let agency: String
        public let role: String
        public let mode: String
        public let invited: Bool
    }

    public struct ChildDecisions: Encodable, Sendable {
        public let child: String
        public let rows: [Row]
        /// The place of this child's decisions in the record (`record-decisions-<id>`).
        public var anchor = ""
    }

    public let reference: String
    public let procedure: String
    public let meeting: String
    public let chair: String
    public let minuteTaker: String
    public let children: String
    public let presentingIssue: String
    public let attendance: [AttendanceRow]
    public let quoracy: String
    public let sections: [Section]
    public let checklist: [Row]
    public let hasChecklist: Bool
    public let decisions: [ChildDecisions]
    public let actions: ActionTable
    public let safetyPlan: ActionTable
    public let noActions: Bool
    public let noSafetyPlan: Bool
    public let safetyPlanNote: String
    public let monitoredBy: String

    public init(_ s: RecordSnapshot, pack: ProcedurePack, today: LocalDate, csrf: String = "") {
        reference = s.reference
        procedure = pack.name
        meeting = s.meetingStart.map { UKDisplay.dateTime($0) } ?? "Not held"
        chair = s.chair.ifBlank("Not recorded")
        minuteTaker = s.minuteTaker.ifBlank("None")
        children = Display.children(s.children, today: today)
        presentingIssue = s.presentingIssue
        attendance = s.attendance.map {
            AttendanceRow(name: $0.name, agency: pack.agencyName($0.agency), role: Vocabulary.agencyRoleLabel($0.role),
                          mode: $0.mode?.label ?? "Not recorded", invited: $0.invited)
        }
        if let q = s.quoracy {
            quoracy = q.quorate
                ? (q.urgentException ? "Quorate under the procedure’s urgent exception." : "Quorate.")
                : "Not quorate (missing: \(q.missing.joined(separator: ", "))). The chair went ahead because: \(q.proceedReason.ifBlank("not recorded"))"
        } else {
            quoracy = "Quoracy not checked."
        }
        var sections: [Section] = []
        for item in pack.agenda {
            var rows: [Row] = []
            if item.perChild {
                for child in s.children {
                    let text = s.content.section(item.id, child: child.id)
                    if !text.isBlank { rows.append(Row(key: child.name, value: text)) }
                }
            } else if !s.content.section(item.id).isBlank {
                rows.append(Row(key: "", value: s.content.section(item.id)))
            }
            if !rows.isEmpty { sections.append(Section(title: item.title, rule: item.rule.description, rows: rows)) }
        }
        let corrections = s.content.section("corrections")
        if !corrections.isBlank {
            sections.append(Section(title: "Corrections accepted after circulation", rule: "REC-001-01",
                                    rows: [Row(key: "", value: corrections)]))
        }
        self.sections = sections
        checklist = pack.checklist.compactMap { item in
            guard let answer = s.content.checklist[item.id] else { return nil }
            return Row(key: item.text, value: answer.response.label + (answer.note.isBlank ? "" : ": " + answer.note))
        }
        hasChecklist = !checklist.isEmpty
        decisions = s.children.map { child in
            let anchor = "record-decisions-" + child.id.slug
            guard let d = s.decision(for: child.id) else {
                return ChildDecisions(child: child.name, rows: [Row(key: "Decisions", value: "Not recorded")], anchor: anchor)
            }
            func yn(_ v: YesNo?, _ detail: String) -> String {
                (v == .yes ? "Yes" : v == .no ? "No" : "Not recorded") + (detail.isBlank ? "" : ". " + detail)
            }
            var rows = [
                Row(key: "Significant harm", value: yn(d.significantHarm, d.significantHarmEvidence)),
                Row(key: "Outcome", value: (d.outcome.flatMap { o in pack.outcomes.first { $0.outcome == o }?.label } ?? "Not recorded")
                    + (d.outcomeRationale.isBlank ? "" : ". " + d.outcomeRationale)),
            ]
            for option in pack.withoutS47 {
                if let text = d.followUps?[option.id] {
                    rows.append(Row(key: option.label, value: text))
                }
            }
            if let followUp = d.followUp {
                rows.append(Row(key: "What follows", value: (pack.withoutS47.first { $0.id == followUp }?.label ?? followUp)
                    + (d.followUpRationale.isBlank ? "" : ". " + d.followUpRationale)))
            }
            rows += [
                Row(key: "Criminal investigation", value: yn(d.criminalInvestigation, d.criminalInvestigationPlan)),
                Row(key: "Medical", value: yn(d.medicalNeeded, d.medicalReason)),
                Row(key: "Legal action", value: yn(d.legalAction, d.legalActionDetail)),
                Row(key: "LADO referral", value: yn(d.ladoReferral, d.ladoReason)),
                Row(key: "Consent sought", value: yn(d.consentSought, d.consentRationale)),
                Row(key: "Parents informed (including absent parents)", value: yn(d.parentsInformed, d.parentsInformedRationale)),
                Row(key: "Shared with the child and family", value: d.familyInformation + (d.familyInformationRationale.isBlank ? "" : ". Why: " + d.familyInformationRationale)),
                Row(key: "Differing views", value: yn(d.differingViews, [d.differingViewsDetail, d.differingViewsResolution.isBlank ? "" : "Resolution: " + d.differingViewsResolution].filter { !$0.isBlank }.joined(separator: ". "))),
            ]
            if let further = d.furtherDiscussionBy {
                rows.append(Row(key: "Further discussion by", value: UKDisplay.date(further)))
            }
            return ChildDecisions(child: child.name, rows: rows, anchor: anchor)
        }
        let kept = s.actions.filter { $0.status != .cancelled }
        actions = ActionTable(kept.filter { $0.kind == .action }.map { ActionRow($0, pack: pack, today: today) }, csrf: csrf)
        safetyPlan = ActionTable(kept.filter { $0.kind == .safetyPlan }.map { ActionRow($0, pack: pack, today: today) }, csrf: csrf)
        noActions = actions.rows.isEmpty
        noSafetyPlan = safetyPlan.rows.isEmpty
        safetyPlanNote = s.content.safetyPlanNotRequiredReason
        monitoredBy = s.content.monitoredBy
    }
}

/// One SMART action or safety plan item as a row: on the actions page, the action's own page
/// and in the record.
public struct ActionRow: Encodable, Sendable {
    public let what: String
    public let owner: String
    public let agency: String
    public let due: String
    public let purpose: String
    public let review: String
    public let term: String
    public let status: String
    public let overdue: Bool
    /// Where the action is cancelled while the record is open; empty otherwise.
    public let cancelAction: String
    public let href: String
    /// The reason asked for when cancelling (set by the table that offers the cancel button).
    public var cancelReason: FieldContext?
    let fieldName: String

    /// As the record shows it (no links of its own).
    public init(_ a: SmartAction, pack: ProcedurePack, today: LocalDate) {
        self.init(a, pack: pack, today: today, cancelAction: "", href: "#")
    }

    /// As the discussion's actions page lists it: cancellable while the record is open.
    public init(_ action: ActionRecord, pack: ProcedurePack, today: LocalDate, discussionID: UUID, editable: Bool) {
        let a = action.smartAction
        self.init(a, pack: pack, today: today,
                  cancelAction: editable && a.status != .cancelled ? SiteURL.actionInDiscussion(discussionID, a.id).path + "/cancel" : "",
                  href: SiteURL.action(a.id).path)
    }

    init(_ a: SmartAction, pack: ProcedurePack, today: LocalDate, cancelAction: String, href: String) {
        what = a.what
        owner = a.owner
        agency = pack.agencyName(a.agency)
        due = a.due.map { UKDisplay.date($0) } ?? ""
        purpose = a.purpose
        review = a.review
        term = a.term?.label ?? ""
        status = a.status == .cancelled && !a.statusNote.isBlank ? a.status.label + ": " + a.statusNote : a.status.label
        overdue = a.isOverdue(today: today)
        self.cancelAction = cancelAction
        self.href = href
        fieldName = "cancel." + a.id.slug + ".reason"
    }
}

/// The actions, or the safety plan, as a table (the page's forms need the CSRF token).
public struct ActionTable: Encodable, Sendable {
    public let rows: [ActionRow]
    public let csrf: String
    /// `meeting` when a cancellation returns to the meeting page.
    public let returnTo: String

    public init(_ rows: [ActionRow], csrf: String, returnTo: String = "", state: FormState = FormState()) {
        self.rows = rows.map { row in
            guard !row.cancelAction.isEmpty else { return row }
            var row = row
            row.cancelReason = state.field(row.fieldName, "Why cancel it").with(width: "20")
            return row
        }
        self.csrf = csrf
        self.returnTo = returnTo
    }
}
