import ConveneCore
import ConveneStore
import Foundation

extension CurrentUser {
    /// What the person may list: the access policy's view-discussion scopes (ASVS-5.0-8.2.2)
    /// for `DiscussionList`'s indexed query.
    public func discussionListScope(now: Date) -> DiscussionListScope {
        DiscussionListScope(
            organisationID: organisationID, personID: id,
            organisationWide: isStaff && (role == .serviceManager || role == .minuteTaker),
            teamID: isStaff && (role == .socialWorker || role == .teamManager) ? teamID : nil,
            invitationScope: invitationScope, now: now)
    }
}
