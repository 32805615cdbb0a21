import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// A discussion with what every page about it needs, loaded only after the access policy
/// allowed the person in (ASVS-5.0-8.2.2: object-level access on the server).
struct LoadedDiscussion: Sendable {
    let discussion: Discussion
    let caseRecord: Case
    let children: [CaseChild]
    let invitations: [Invitation]
    let pack: ProcedurePack
    let context: AccessContext
    let user: CurrentUser

    var id: UUID { discussion.id! }
    var childIDs: [UUID] { children.compactMap(\.id) }
    var childDetails: [ChildDetails] { children.map(\.details) }

    func allows(_ permission: Permission) -> Bool {
        AccessPolicy.allows(permission, context)
    }

    /// The invitation of the signed-in person, if they are invited.
    var ownInvitation: Invitation? {
        if let scope = user.invitationScope { return invitations.first { $0.id == scope } }
        return invitations.first { $0.personID == user.id }
    }

    func audit(_ action: String, _ objectType: String = "discussion", reason: String = "", detail: String = "",
               flagged: Bool = false) -> AuditRecord {
        AuditRecord(action, objectType, id: id, caseID: caseRecord.id, childIDs: childIDs, reason: reason, detail: detail,
                    flagged: flagged)
    }
}

extension Request {
    /// Loads a discussion for a permission, or refuses: 404 when the person may not even know
    /// it exists, 403 when they may see it but not do this. Every refusal is audited
    /// (ASVS-5.0-16.3.2).
    func discussion(_ id: UUID, for permission: Permission) async throws -> LoadedDiscussion {
        let user = try requireUser()
        guard let discussion = try await Discussion.find(id, on: db) else {
            throw Abort(.notFound)
        }
        // What every page needs, fetched together; none of it leaves here unless access is allowed.
        async let caseRecord = Case.find(discussion.$case.id, on: db)
        async let children = CaseChild.query(on: db).filter(\.$case.$id == discussion.$case.id).sort(\.$position).all()
        let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == id).sort(\.$createdAt).all()
        var context = accessContext(for: discussion, user: user, invitations: invitations)
        if !AccessPolicy.allows(permission, context) {
            // Only now are a grant (a read under one is flagged) and a former team worth asking about.
            context.grant = try await hasGrant(user, discussionID: id)
            context.formerTeam = try await wasFormerTeam(user, of: discussion)
        }
        guard AccessPolicy.allows(permission, context) else {
            try await db.audit([AuditRecord("access-denied", "discussion", id: id, caseID: discussion.$case.id,
                                            reason: permission.rawValue)], by: actor, now: now)
            storage[AccessDeniedAudited.self] = true
            throw Abort(AccessPolicy.allows(.viewDiscussion, context) ? .forbidden : .notFound,
                        reason: "You do not have permission to do that for this discussion.")
        }
        // A row changed outside Convene is not shown as if it were authentic (issue 9).
        guard RecordSeal.isIntact(discussion, key: try db.keyRing().sealKey) else {
            throw IntegrityError.discussion(discussion.reference)
        }
        guard let pack = convene.packs.pack(try await organisationPackID(discussion.organisationID)),
              let found = try await caseRecord else {
            throw Abort(.internalServerError, reason: "The discussion's procedure pack is missing.")
        }
        let loaded = LoadedDiscussion(discussion: discussion, caseRecord: found, children: try await children,
                                      invitations: invitations, pack: pack, context: context, user: user)
        // Read by this request: logged before the response leaves, if its handler does not.
        readLog.loaded(loaded.id, loaded.audit("view", flagged: context.grant))
        return loaded
    }

    /// The person's standing towards a discussion, grant included.
    func accessContext(for discussion: Discussion, user: CurrentUser) async throws -> AccessContext {
        let id = try discussion.requireID()
        let own = try await Invitation.query(on: db).filter(\.$discussion.$id == id).filter(\.$personID == user.id).all()
        var context = accessContext(for: discussion, user: user, invitations: own)
        context.grant = try await hasGrant(user, discussionID: id)
        context.formerTeam = try await wasFormerTeam(user, of: discussion)
        return context
    }

    /// The person's standing from the discussion's invitations (without asking about grants).
    func accessContext(for discussion: Discussion, user: CurrentUser, invitations: [Invitation]) -> AccessContext {
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
    func wasFormerTeam(_ user: CurrentUser, of discussion: Discussion) async throws -> Bool {
        guard let teamID = user.teamID, teamID != discussion.teamID, user.invitationScope == nil else { return false }
        let created = discussion.createdAt ?? .distantFuture
        return try await CaseTransfer.query(on: db).filter(\.$caseID == discussion.$case.id)
            .filter(\.$fromTeamID == teamID).filter(\.$at >= created).count() > 0
    }

    func hasGrant(_ user: CurrentUser, discussionID: UUID) async throws -> Bool {
        guard user.invitationScope == nil else { return false }
        let now = self.now
        return try await AccessGrant.query(on: db).filter(\.$personID == user.id).filter(\.$discussionID == discussionID)
            .filter(\.$startsAt <= now).filter(\.$expiresAt > now).count() > 0
    }

    /// The pack an authority follows (cached for a minute: it changes only when an
    /// administrator changes it).
    func organisationPackID(_ organisationID: UUID) async throws -> String {
        if let cached = convene.packCache.packID(organisationID, now: now) { return cached }
        guard let organisation = try await Organisation.find(organisationID, on: db) else {
            throw Abort(.notFound)
        }
        convene.packCache.store(organisationID, packID: organisation.packID, now: now)
        return organisation.packID
    }

    /// The pack of the signed-in person's organisation.
    func ownPack() async throws -> ProcedurePack {
        let user = try requireUser()
        guard let pack = convene.packs.pack(try await organisationPackID(user.organisationID)) else {
            throw Abort(.internalServerError, reason: "Your organisation's procedure pack is missing.")
        }
        return pack
    }

    /// A UUID path parameter, or 404.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw Abort(.notFound) }
        return id
    }
}
