import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation

// The record (REC-*): snapshots, versions and corrections, domain → API.

extension Schemas.RecordSnapshot {
    init(_ s: RecordSnapshot, discussionID: UUID) throws {
        self.init(
            packId: s.packID, reference: s.reference, meetingStart: s.meetingStart, chair: s.chair, minuteTaker: s.minuteTaker,
            children: s.children.map(Schemas.Child.init), presentingIssue: s.presentingIssue, rationale: s.rationale,
            attendance: try s.attendance.map {
                .init(id: $0.id, name: $0.name, agency: $0.agency, role: $0.role, invited: $0.invited, mode: try $0.mode?.term())
            },
            quoracy: s.quoracy.map(Schemas.Quoracy.init),
            sections: .init(additionalProperties: s.content.sections),
            checklist: .init(additionalProperties: try s.content.checklist.mapValues {
                Schemas.ChecklistAnswer(response: try $0.response.term(), note: $0.note)
            }),
            monitoredBy: s.content.monitoredBy, safetyPlanNotRequiredReason: s.content.safetyPlanNotRequiredReason,
            actionSummaryIssuedAt: s.content.actionSummaryIssuedAt,
            decisions: try s.decisions.map { .init(childId: $0.childID, decision: try Schemas.ChildDecision($0.decision)) },
            actions: try s.actions.map { try Schemas.Action($0, discussionID: discussionID) })
    }
}

extension Schemas.RecordView {
    /// The working record, what is still missing, and the keys the agenda and checklist take.
    init(_ loaded: LoadedDiscussion, snapshot: RecordSnapshot, missing: [InputError], discussion: Discussion) throws {
        let pack = loaded.pack
        let agenda: [Schemas.RecordView.AgendaPayloadPayload] = pack.agenda.flatMap { item in
            item.perChild
                ? loaded.childDetails.map { child in
                    .init(key: RecordContent.key(item.id, child: child.id), itemId: item.id, title: item.title, childId: child.id)
                }
                : [.init(key: item.id, itemId: item.id, title: item.title)]
        }
        self.init(
            discussion: try Schemas.DiscussionSummary(discussion),
            snapshot: try Schemas.RecordSnapshot(snapshot, discussionID: loaded.id),
            missing: missing.map { .init(field: $0.field.description, message: $0.message) },
            agenda: agenda,
            checklist: pack.checklist.map { .init(id: $0.id, text: $0.text, requiredForFinal: $0.requiredForFinal) })
    }
}

extension Schemas.RecordVersionInfo {
    init(_ v: RecordVersion) throws {
        self.init(number: v.number, kind: try v.kind.term(), createdBy: v.createdBy, createdAt: v.createdAt, sha256: v.sha256,
                  note: v.note)
    }
}

extension Schemas.Correction {
    init(_ c: Correction) throws {
        self.init(id: try c.requireID(), recordVersion: c.recordVersion, submittedBy: c.submittedByName, section: c.section,
                  text: c.text, status: try c.status.term(), decisionReason: c.decisionReason, resultVersion: c.resultVersion,
                  createdAt: c.createdAt)
    }
}
