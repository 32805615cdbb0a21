import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// DEC-004-01: the s47 outcome goes to the strategy discussion's members, and a significant
/// change to it stands only when the original members endorse it, as the pack's rule says.
extension Operations {
    /// The original members of a discussion: everyone who took part.
    static func outcomeMembers(_ invitations: [Invitation]) -> [Invitation] {
        invitations.filter { $0.attendance?.present ?? false }
    }

    /// The discussion of a case that decided the section 47 enquiry, if any.
    static func s47Discussion(_ timeline: CaseTimeline) -> Discussion? {
        timeline.discussions.first { d in
            guard let id = d.id, d.startedAt != nil, d.stage.isOpen else { return false }
            return CaseTimeline.outcome(timeline.decisions[id] ?? [])?.startsS47 == true
        }
    }

    static func proposeOutcomeChange(_ req: Request, _ loaded: LoadedDiscussion, change: String, reason: String) async throws
        -> UUID
    {
        guard loaded.pack.outcomeEndorsement != nil else {
            throw Abort(.notFound, reason: "This procedure does not put changes of the s47 outcome to the members.")
        }
        guard let timeline = try await CaseTimeline.load(caseID: loaded.caseRecord.id!, on: req.db),
              s47Discussion(timeline)?.id == loaded.id else {
            throw ConflictError("This discussion did not start the section 47 enquiry: propose the change on the one that did.")
        }
        var checks = FieldChecks()
        checks.text(change, "change", "Describe the significant change to the outcome", max: 4000)
        checks.text(reason, "reason", "Give the reason for the change", max: 4000)
        try checks.finish()
        let pending = try await OutcomeChange.query(on: req.db).filter(\.$discussionID == loaded.id)
            .filter(\.$status == .awaiting).count()
        guard pending == 0 else { throw ConflictError("A change is already awaiting the members’ endorsement.") }
        let members = outcomeMembers(loaded.invitations)
        guard !members.isEmpty else { throw ConflictError("Nobody is recorded as having taken part, so no one can endorse it.") }
        let record = OutcomeChange(organisationID: loaded.discussion.organisationID, caseID: loaded.caseRecord.id!,
                                   discussionID: loaded.id, change: change.trimmed, reason: reason.trimmed,
                                   proposedBy: loaded.user.id, proposedByName: loaded.user.name, proposedAt: req.now,
                                   members: members.count)
        let link = Outbox.baseURL(req) + SiteURL.discussionPart(loaded.id, .outcome).path
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { d, db in
            try await record.create(on: db)
            for member in members {
                try await Outbox.send(to: member.name, email: member.email,
                                      subject: "Endorse or object: a change to the section 47 outcome, \(d.reference)",
                                      body: "A significant change to the outcome of the section 47 enquiry is proposed. As a member of "
                                        + "the strategy discussion, endorse it or object, with your reason: \(link)",
                                      organisationID: d.organisationID, discussionID: loaded.id, on: db)
            }
            return ((), [loaded.audit("outcome-change", reason: record.reason, detail: "put to \(members.count) members")])
        }
        return record.id!
    }

    static func respondToOutcomeChange(_ req: Request, _ loaded: LoadedDiscussion, changeID: UUID,
                                       response: EndorsementResponse?, reason: String) async throws {
        guard let rules = loaded.pack.outcomeEndorsement,
              let change = try await OutcomeChange.find(changeID, on: req.db), change.discussionID == loaded.id else {
            throw Abort(.notFound)
        }
        guard let member = loaded.ownInvitation, outcomeMembers(loaded.invitations).contains(where: { $0.id == member.id }) else {
            throw Abort(.forbidden, reason: "Only the strategy discussion’s original members endorse or object (DEC-004-01).")
        }
        var checks = FieldChecks()
        if response == nil { checks.fail("response", "Say whether you endorse the change or object to it") }
        checks.text(reason, "responseReason", "Give your reason", max: 4000)
        try checks.finish()
        let now = req.now
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { _, db in
            guard let fresh = try await OutcomeChange.find(changeID, on: db), fresh.status == .awaiting else {
                throw ConflictError("The members have already settled this change.")
            }
            let responses = try await OutcomeResponse.query(on: db).filter(\.$changeID == changeID).all()
            if responses.contains(where: { $0.invitationID == member.id }) {
                throw ConflictError("You have already answered this change.")
            }
            let answer = OutcomeResponse(changeID: changeID, invitationID: member.id!, name: member.name, agency: member.agency,
                                         response: response!, reason: reason.trimmed, respondedAt: now)
            try await answer.create(on: db)
            let all = responses + [answer]
            fresh.status = rules.status(members: fresh.members, endorsed: all.filter { $0.response == .endorse }.count,
                                        objected: all.filter { $0.response == .object }.count)
            if fresh.status != .awaiting { fresh.decidedAt = now }
            try await fresh.save(on: db)
            return ((), [loaded.audit("outcome-" + response!.rawValue, reason: answer.reason,
                                      detail: "\(member.name): \(fresh.status.rawValue)")])
        }
    }

    /// DEC-004-01: the outcome of the completed s47 enquiry goes to the members of the
    /// discussion that started it (called inside the transaction that records the completion).
    static func shareS47Outcome(_ req: Request, pack: ProcedurePack, timeline: CaseTimeline, note: String, on db: any Database)
        async throws -> Int
    {
        guard pack.outcomeEndorsement != nil, let discussion = s47Discussion(timeline), let id = discussion.id else { return 0 }
        let members = outcomeMembers(try await Invitation.query(on: db).filter(\.$discussion.$id == id).all())
        let link = Outbox.baseURL(req) + SiteURL.discussionPart(id, .outcome).path
        for member in members {
            try await Outbox.send(to: member.name, email: member.email,
                                  subject: "Outcome of the section 47 enquiry, \(discussion.reference)",
                                  body: "The section 47 enquiry planned at the strategy discussion is complete. Outcome: \(note)\n"
                                    + "A significant change to it needs your endorsement: \(link)",
                                  organisationID: discussion.organisationID, discussionID: id, on: db)
        }
        return members.count
    }
}
