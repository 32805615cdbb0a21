import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// DEC-004-01: the s47 outcome goes to the strategy discussion's members, and a significant
/// change to it stands only when the original members endorse it, as the pack's rule says.
extension Operations {
    /// The original members of a discussion: everyone who took part.
    public static func outcomeMembers(_ invitations: [Invitation]) -> [Invitation] {
        invitations.filter { $0.attendance?.present ?? false }
    }

    /// The discussion of a case that decided the section 47 enquiry, if any.
    public static func s47Discussion(_ timeline: CaseTimeline) -> Discussion? {
        timeline.discussions.first { d in
            guard let id = d.id, d.startedAt != nil, d.stage.isOpen else { return false }
            return CaseTimeline.outcome(timeline.decisions[id] ?? [])?.startsS47 == true
        }
    }

    public static func proposeOutcomeChange(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, change: String, reason: String) async throws
        -> UUID
    {
        guard loaded.pack.outcomeEndorsement != nil else {
            throw LifecycleError.notFound("This procedure does not put changes of the s47 outcome to the members.")
        }
        guard let timeline = try await CaseTimeline.load(caseID: loaded.caseRecord.id!, on: ctx.db),
              s47Discussion(timeline)?.id == loaded.id else {
            throw LifecycleError.conflict("This discussion did not start the section 47 enquiry: propose the change on the one that did.")
        }
        var checks = FieldChecks()
        checks.text(change, "change", "Describe the significant change to the outcome", max: 4000)
        checks.text(reason, "reason", "Give the reason for the change", max: 4000)
        try checks.finish()
        let pending = try await OutcomeChange.query(on: ctx.db).filter(\.$discussionID == loaded.id)
            .filter(\.$status == .awaiting).count()
        guard pending == 0 else { throw LifecycleError.conflict("A change is already awaiting the members’ endorsement.") }
        let members = outcomeMembers(loaded.invitations)
        guard !members.isEmpty else { throw LifecycleError.conflict("Nobody is recorded as having taken part, so no one can endorse it.") }
        let record = OutcomeChange(organisationID: loaded.discussion.organisationID, caseID: loaded.caseRecord.id!,
                                   discussionID: loaded.id, change: change.trimmed, reason: reason.trimmed,
                                   proposedBy: loaded.user.id, proposedByName: loaded.user.name, proposedAt: ctx.now,
                                   members: members.count)
        let link = ctx.publicAddress + SiteURL.discussionPart(loaded.id, .outcome).path
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            try await record.create(on: db)
            for member in members {
                try await Outbox.send(Notice.outcomeEndorsement(reference: d.reference, link: link), to: member.name,
                                      email: member.email, organisationID: d.organisationID, discussionID: loaded.id,
                                      personID: member.personID, invitationID: member.id, base: ctx.publicAddress, on: db)
            }
            return ((), [loaded.audit("outcome-change", reason: record.reason, detail: "put to \(members.count) members")])
        }
        return record.id!
    }

    public static func respondToOutcomeChange(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, changeID: UUID,
                                       response: EndorsementResponse?, reason: String) async throws {
        guard let rules = loaded.pack.outcomeEndorsement,
              let change = try await OutcomeChange.find(changeID, on: ctx.db), change.discussionID == loaded.id else {
            throw LifecycleError.notFound()
        }
        guard let member = loaded.ownInvitation, outcomeMembers(loaded.invitations).contains(where: { $0.id == member.id }) else {
            throw LifecycleError.notAllowed("Only the strategy discussion’s original members endorse or object (DEC-004-01).")
        }
        var checks = FieldChecks()
        if response == nil { checks.fail("response", "Say whether you endorse the change or object to it") }
        checks.text(reason, "responseReason", "Give your reason", max: 4000)
        try checks.finish()
        let now = ctx.now
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            guard let fresh = try await OutcomeChange.find(changeID, on: db), fresh.status == .awaiting else {
                throw LifecycleError.conflict("The members have already settled this change.")
            }
            let responses = try await OutcomeResponse.query(on: db).filter(\.$changeID == changeID).all()
            if responses.contains(where: { $0.invitationID == member.id }) {
                throw LifecycleError.conflict("You have already answered this change.")
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
    public static func shareS47Outcome(_ ctx: LifecycleContext, pack: ProcedurePack, timeline: CaseTimeline, note: String, on db: any Database)
        async throws -> Int
    {
        guard pack.outcomeEndorsement != nil, let discussion = s47Discussion(timeline), let id = discussion.id else { return 0 }
        let members = outcomeMembers(try await Invitation.query(on: db).filter(\.$discussion.$id == id).all())
        let link = ctx.publicAddress + SiteURL.discussionPart(id, .outcome).path
        for member in members {
            // The outcome itself stays behind the link: it is the record's content (issue 11).
            try await Outbox.send(to: member.name, email: member.email,
                                  subject: "Outcome of the section 47 enquiry, \(discussion.reference)",
                                  body: "The section 47 enquiry planned at the strategy discussion \(discussion.reference) is complete; "
                                    + "its outcome is recorded. A significant change to it needs your endorsement: \(link)",
                                  organisationID: discussion.organisationID, discussionID: id, kind: .outcomeEndorsement,
                                  reference: discussion.reference, personID: member.personID, invitationID: member.id,
                                  base: ctx.publicAddress, on: db)
        }
        return members.count
    }
}

extension Operations {
    /// The changes proposed to the s47 outcome of a discussion and the members' answers
    /// (DEC-004-01), as its page and the API show them.
    public struct OutcomeChanges: Sendable {
        public let rules: OutcomeEndorsementRules
        /// Oldest first.
        public let changes: [OutcomeChange]
        /// Every answer, oldest first.
        public let responses: [OutcomeResponse]
        /// The original members: everyone who took part.
        public let members: [Invitation]
        /// The person's own invitation, when they are a member.
        public let ownMembership: Invitation?
        /// The latest recorded completion of the section 47 enquiry.
        public let completion: CaseEvent?
        /// Whether this discussion started the enquiry (changes are proposed on that one).
        public let decidedHere: Bool

        public func responses(to change: OutcomeChange) -> [OutcomeResponse] {
            responses.filter { $0.changeID == change.id }
        }
    }

    public static func outcomeChanges(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> OutcomeChanges {
        guard let rules = loaded.pack.outcomeEndorsement else { throw LifecycleError.notFound() }
        let changes = try await OutcomeChange.query(on: ctx.db).filter(\.$discussionID == loaded.id).sort(\.$proposedAt).all()
        let ids = changes.compactMap(\.id)
        let responses = ids.isEmpty ? [] : try await OutcomeResponse.query(on: ctx.db).filter(\.$changeID ~~ ids)
            .sort(\.$respondedAt).all()
        let members = outcomeMembers(loaded.invitations)
        let completion = try await CaseEvent.query(on: ctx.db).filter(\.$case.$id == loaded.caseID)
            .filter(\.$type == .s47Completed).sort(\.$at).all().last
        let timeline = try await CaseTimeline.load(caseID: loaded.caseID, on: ctx.db)
        return OutcomeChanges(
            rules: rules, changes: changes, responses: responses, members: members,
            ownMembership: loaded.ownInvitation.flatMap { mine in members.first { $0.id == mine.id } },
            completion: completion, decidedHere: timeline.flatMap(s47Discussion)?.id == loaded.id)
    }
}
