import ConveneCore
import Foundation

/// The record of a discussion as people read it (AGN-001-02): what the record page, the
/// invitees' minutes and every kept version show.
struct RecordDocument: Encodable {
    struct Row: Encodable {
        let key: String
        let value: String
    }

    struct Section: Encodable {
        let title: String
        let rule: String
        let rows: [Row]
    }

    struct AttendanceRow: Encodable {
        let name: String
        let agency: String
        let role: String
        let mode: String
        let invited: Bool
    }

    struct ChildDecisions: Encodable {
        let child: String
        let rows: [Row]
    }

    let reference: String
    let procedure: String
    let meeting: String
    let chair: String
    let minuteTaker: String
    let children: String
    let presentingIssue: String
    let attendance: [AttendanceRow]
    let quoracy: String
    let sections: [Section]
    let checklist: [Row]
    let hasChecklist: Bool
    let decisions: [ChildDecisions]
    let actions: ActionsController.Table
    let safetyPlan: ActionsController.Table
    let noActions: Bool
    let noSafetyPlan: Bool
    let safetyPlanNote: String
    let monitoredBy: String

    init(_ s: RecordSnapshot, pack: ProcedurePack, today: LocalDate, csrf: String = "") {
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
                ? (q.urgentException ? "Quorate under the urgent exception (\(pack.attendance.urgentException?.rule.description ?? ""))." : "Quorate.")
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
            guard let d = s.decision(for: child.id) else { return ChildDecisions(child: child.name, rows: [Row(key: "Decisions", value: "Not recorded")]) }
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
            return ChildDecisions(child: child.name, rows: rows)
        }
        let rows = s.actions.filter { $0.status != .cancelled }.map { a in
            ActionsController.Row(what: a.what, owner: a.owner, agency: pack.agencyName(a.agency),
                                  due: a.due.map { UKDisplay.date($0) } ?? "", purpose: a.purpose, review: a.review,
                                  term: a.term == .immediate ? "Immediate" : (a.term == .shortTerm ? "Short term" : ""),
                                  status: a.status.label, overdue: a.isOverdue(today: today), cancelAction: "",
                                  href: "#")
        }
        let kinds = s.actions.filter { $0.status != .cancelled }.map(\.kind)
        actions = ActionsController.Table(rows: zip(kinds, rows).filter { $0.0 == .action }.map(\.1), csrf: csrf)
        safetyPlan = ActionsController.Table(rows: zip(kinds, rows).filter { $0.0 == .safetyPlan }.map(\.1), csrf: csrf)
        noActions = actions.rows.isEmpty
        noSafetyPlan = safetyPlan.rows.isEmpty
        safetyPlanNote = s.content.safetyPlanNotRequiredReason
        monitoredBy = s.content.monitoredBy
    }
}
