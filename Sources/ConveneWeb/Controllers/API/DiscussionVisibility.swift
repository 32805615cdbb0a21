import ConveneCore
import ConveneStore
import Foundation
import Vapor

extension Request {
    /// What the signed-in person may list: the access policy's view-discussion scopes
    /// (ASVS-5.0-8.2.2) for `DiscussionList`'s indexed query.
    func discussionListScope() throws -> DiscussionListScope {
        let user = try requireUser()
        let staff = user.invitationScope == nil
        return DiscussionListScope(
            organisationID: user.organisationID, personID: user.id,
            organisationWide: staff && (user.role == .serviceManager || user.role == .minuteTaker),
            teamID: staff && (user.role == .socialWorker || user.role == .teamManager) ? user.teamID : nil,
            invitationScope: user.invitationScope, now: now)
    }
}
