import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Issue 13 (OVS-ALL-01): the facts behind the performance figures, worked out from the same
/// timeline the case page shows and written in the transaction of the change that altered them.
extension CaseTimeline {
    /// The case as the oversight facts see it: its discussions with their attendance, decisions
    /// per child and actions, and the reasons recorded for late duties.
    public func oversightCase(on db: any Database) async throws -> OversightCase? {
        let ids = discussions.compactMap(\.id)
        let invitations = ids.isEmpty ? [] : try await Invitation.query(on: db).filter(\.$discussion.$id ~~ ids).all()
        let decisionRows = ids.isEmpty ? [] : try await ChildDecisionRecord.query(on: db).filter(\.$discussion.$id ~~ ids).all()
        let actions = ids.isEmpty ? [] : try await ActionRecord.query(on: db).filter(\.$discussion.$id ~~ ids).all()
        return oversightCase(invitations: invitations, decisionRows: decisionRows, actions: actions)
    }

    /// The same from rows already in hand (the seeder writes them in bulk).
    func oversightCase(invitations: [Invitation], decisionRows: [ChildDecisionRecord], actions: [ActionRecord]) -> OversightCase? {
        guard let caseID = caseRecord.id else { return nil }
        let reasons = Set(notes.filter { $0.kind == .lateReason }.map { LateReasonKey(duty: $0.duty, discussion: $0.discussionKey) })
        let oversight = discussions.compactMap { d -> OversightDiscussion? in
            guard let id = d.id else { return nil }
            return OversightDiscussion(
                id: id, key: Self.key(d), parentKey: parentKey(d), organisationID: d.organisationID, teamID: d.teamID,
                reference: d.reference, sequence: d.sequence, stage: d.stage, urgency: d.urgency, requestedAt: d.requestedAt,
                decidedAt: d.decidedAt, startedAt: d.startedAt, quoracy: d.quoracy,
                attendance: invitations.filter { $0.$discussion.id == id }.map(\.entry),
                children: d.request.children.map(\.id),
                decisions: Dictionary(decisionRows.filter { $0.$discussion.id == id }.map { ($0.childID, $0.decision) },
                                      uniquingKeysWith: { _, last in last }),
                actions: actions.filter { $0.$discussion.id == id }.map(\.smartAction))
        }
        return OversightCase(caseID: caseID, caseReference: caseRecord.reference, timeline: timeline, overrides: overrides,
                             lateReasons: reasons, discussions: oversight)
    }

    /// Works out and stores the facts of every discussion of the case: called in the
    /// transaction of each change, after `refreshNextDue`.
    /// `assessments`: the case's duties at `asOf` when already worked out (`refreshNextDue`).
    public func refreshOversightFacts(pack: ProcedurePack, asOf: Date, assessments: [DutyAssessment]? = nil, on db: any Database)
        async throws
    {
        guard let oversight = try await oversightCase(on: db) else { return }
        let facts = assessments.map { oversight.facts(pack: pack, asOf: asOf, assessments: $0) } ?? oversight.facts(pack: pack, asOf: asOf)
        try await OversightFactsStore.save(facts, on: db)
    }
}
