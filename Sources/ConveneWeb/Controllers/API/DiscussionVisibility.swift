import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Which discussions a person's list holds: the same scopes as the access policy
/// (ASVS-5.0-8.2.2) written as one query, so that pages of the list are exact. Every row is
/// checked against `AccessPolicy` again before it is shown.
struct DiscussionVisibility: Sendable {
    let user: CurrentUser
    let invited: Set<UUID>
    /// Discussions the person holds a current access grant for (disclosure, break-glass).
    let granted: Set<UUID>

    static func load(_ req: Request) async throws -> DiscussionVisibility {
        let user = try req.requireUser()
        if let scope = user.invitationScope {
            // A personal-link session reaches only its own discussion.
            let own = try await Invitation.find(scope, on: req.db)
            return DiscussionVisibility(user: user, invited: Set(own.map { [$0.$discussion.id] } ?? []), granted: [])
        }
        let now = req.now
        let invitations = try await Invitation.query(on: req.db).filter(\.$personID == user.id).all()
        let grants = try await AccessGrant.query(on: req.db).filter(\.$personID == user.id).filter(\.$startsAt <= now)
            .filter(\.$expiresAt > now).all()
        return DiscussionVisibility(user: user, invited: Set(invitations.map { $0.$discussion.id }),
                                    granted: Set(grants.map(\.discussionID)))
    }

    var organisationWide: Bool {
        user.invitationScope == nil && (user.role == .serviceManager || user.role == .minuteTaker)
    }

    var teamWide: Bool {
        user.invitationScope == nil && (user.role == .socialWorker || user.role == .teamManager) && user.teamID != nil
    }

    /// Nil when the person can see no discussion at all (administrators, auditors).
    func query(on db: any Database) -> QueryBuilder<Discussion>? {
        let user = self.user
        let personal = Array(invited.union(granted))
        guard organisationWide || teamWide || !personal.isEmpty else { return nil }
        return Discussion.query(on: db).group(.or) { or in
            if organisationWide { or.filter(\.$organisationID == user.organisationID) }
            if teamWide, let team = user.teamID {
                or.group(.and) { $0.filter(\.$organisationID == user.organisationID).filter(\.$teamID == team) }
            }
            if !personal.isEmpty { or.filter(\.$id ~~ personal) }
        }
    }

    /// The policy's own answer for one row, without further queries.
    func allows(_ d: Discussion) -> Bool {
        guard let id = d.id else { return false }
        let sameOrganisation = user.invitationScope == nil && d.organisationID == user.organisationID
        let context = AccessContext(
            role: user.invitationScope == nil ? user.role : .partnerAgency, sameOrganisation: sameOrganisation,
            sameTeam: user.teamID != nil && user.teamID == d.teamID, invitee: invited.contains(id),
            minutesReleased: d.stage.minutesReleased, grant: granted.contains(id))
        return AccessPolicy.allows(.viewDiscussion, context)
    }
}
