import ConveneCore
import ConveneStore
import FluentKit
import Foundation
import SQLKit

/// Loads a discussion for a permission, or refuses (ASVS-5.0-8.3.1): every page, API call,
/// command and job reaches a discussion through here.
public enum DiscussionAccess {
    public static let refusal = "You do not have permission to do that for this discussion."

    /// The discussion with its case, children, invitations and pack, if the person acting may
    /// do `permission` with it. Refused with `refused(canSee:)` (404 when they may not even know
    /// it exists, 403 when they may see it but not do this), and every refusal is audited
    /// (ASVS-5.0-16.3.2). A row changed outside Convene is refused as an `IntegrityError`.
    public static func load(_ id: UUID, for permission: Permission, _ ctx: LifecycleContext) async throws -> LoadedDiscussion {
        let user = try ctx.requireUser()
        let db = ctx.db
        // Read as SQL of our own (`Rows`): every page and API call about a discussion starts here.
        guard let discussion = try await Rows.find(Discussion.self, id, on: db) else { throw LifecycleError.notFound() }
        // What every step needs, fetched together; none of it leaves here unless access is allowed.
        let caseID = discussion.$case.id
        async let caseRecord = Rows.find(Case.self, caseID, on: db)
        async let children = Rows.all(CaseChild.self, "case_id = \(bind: caseID) ORDER BY \"position\"", on: db)
        let invitations = try await Rows.all(Invitation.self, "discussion_id = \(bind: id) ORDER BY created_at", on: db)
        var context = standing(of: user, towards: discussion, invitations: invitations)
        if !AccessPolicy.allows(permission, context) {
            // Only now are a grant (a read under one is flagged) and a former team worth asking about.
            context.grant = try await hasGrant(user, discussionID: id, ctx)
            context.formerTeam = try await wasFormerTeam(user, of: discussion, on: db)
        }
        guard AccessPolicy.allows(permission, context) else {
            try await db.audit([AuditRecord("access-denied", "discussion", id: id, caseID: discussion.$case.id,
                                            reason: permission.rawValue)], by: ctx.actor, now: ctx.now)
            throw LifecycleError.refused(canSee: AccessPolicy.allows(.viewDiscussion, context), reason: refusal)
        }
        // A row changed outside Convene is not shown as if it were authentic (issue 9).
        guard RecordSeal.isIntact(discussion, key: try db.keyRing().sealKey) else {
            throw IntegrityError.discussion(discussion.reference)
        }
        let pack = try await ctx.pack(ofOrganisation: discussion.organisationID)
        guard let found = try await caseRecord else { throw LifecycleError.notFound() }
        return LoadedDiscussion(discussion: discussion, caseRecord: found, children: try await children,
                                invitations: invitations, pack: pack, context: context, user: user)
    }

    /// A case, reached through its initial discussion's access rules, with its timeline.
    public static func loadCase(_ caseID: UUID, for permission: Permission, _ ctx: LifecycleContext) async throws
        -> (LoadedDiscussion, CaseTimeline)
    {
        guard let first = try await Rows.first(Discussion.self, "case_id = \(bind: caseID) ORDER BY sequence", on: ctx.db) else {
            throw LifecycleError.notFound()
        }
        let loaded = try await load(try first.requireID(), for: permission, ctx)
        return (loaded, try await CaseTimeline.load(around: loaded, on: ctx.db))
    }

    /// A discussion for a booking step: booking needs `book`; once booked, rebooking needs
    /// `rebook-or-cancel`; either at its stage only.
    public static func loadForBooking(_ id: UUID, _ ctx: LifecycleContext) async throws -> LoadedDiscussion {
        let peek = try await load(id, for: .viewDiscussion, ctx)
        let rebooking = peek.discussion.stage == .booked
        let loaded = try await load(id, for: rebooking ? .rebookOrCancel : .book, ctx)
        try StageError.check(rebooking ? .rebook : .book, at: loaded.discussion.stage)
        return loaded
    }

    /// The person's standing towards a discussion, grant and former team included.
    public static func standing(of user: CurrentUser, towards discussion: Discussion, _ ctx: LifecycleContext) async throws
        -> AccessContext
    {
        let id = try discussion.requireID()
        let own = try await Invitation.query(on: ctx.db).filter(\.$discussion.$id == id).filter(\.$personID == user.id).all()
        var context = standing(of: user, towards: discussion, invitations: own)
        context.grant = try await hasGrant(user, discussionID: id, ctx)
        context.formerTeam = try await wasFormerTeam(user, of: discussion, on: ctx.db)
        return context
    }

    /// The person's standing from the discussion's invitations (without asking about grants).
    public static func standing(of user: CurrentUser, towards discussion: Discussion, invitations: [Invitation]) -> AccessContext {
        var invitee = invitations.contains { $0.personID == user.id }
        var sameOrganisation = discussion.organisationID == user.organisationID
        if let scope = user.invitationScope {
            // A personal-link session reaches only its own discussion, as an invitee.
            invitee = invitations.contains { $0.id == scope }
            sameOrganisation = false
        }
        return AccessContext(
            role: user.invitationScope == nil ? user.role : .partnerAgency,
            sameOrganisation: sameOrganisation,
            sameTeam: user.teamID != nil && user.teamID == discussion.teamID,
            invitee: invitee,
            minutesReleased: discussion.stage.minutesReleased,
            grant: false)
    }

    /// REQ-003-01: a team the case moved away from keeps reading what it held.
    static func wasFormerTeam(_ user: CurrentUser, of discussion: Discussion, on db: any Database) async throws -> Bool {
        guard let teamID = user.teamID, teamID != discussion.teamID, user.invitationScope == nil else { return false }
        let created = discussion.createdAt ?? .distantFuture
        return try await CaseTransfer.query(on: db).filter(\.$caseID == discussion.$case.id)
            .filter(\.$fromTeamID == teamID).filter(\.$at >= created).count() > 0
    }

    static func hasGrant(_ user: CurrentUser, discussionID: UUID, _ ctx: LifecycleContext) async throws -> Bool {
        guard user.invitationScope == nil else { return false }
        let now = ctx.now
        return try await AccessGrant.query(on: ctx.db).filter(\.$personID == user.id).filter(\.$discussionID == discussionID)
            .filter(\.$startsAt <= now).filter(\.$expiresAt > now).count() > 0
    }
}
