import ConveneCore
import ConveneStore
import Foundation

/// A discussion with what every step about it needs, loaded only after the access policy
/// allowed the person in (ASVS-5.0-8.2.2: object-level access on the server).
public struct LoadedDiscussion: Sendable {
    public let discussion: Discussion
    public let caseRecord: Case
    public let children: [CaseChild]
    public let invitations: [Invitation]
    public let pack: ProcedurePack
    public let context: AccessContext
    public let user: CurrentUser

    public var id: UUID { discussion.id! }
    public var caseID: UUID { caseRecord.id! }
    public var childIDs: [UUID] { children.compactMap(\.id) }
    public var childDetails: [ChildDetails] { children.map(\.details) }

    public func allows(_ permission: Permission) -> Bool {
        AccessPolicy.allows(permission, context)
    }

    /// The invitation of the person acting, if they are invited.
    public var ownInvitation: Invitation? {
        if let scope = user.invitationScope { return invitations.first { $0.id == scope } }
        return invitations.first { $0.personID == user.id }
    }

    public func audit(_ action: String, _ objectType: String = "discussion", reason: String = "", detail: String = "",
                      flagged: Bool = false) -> AuditRecord {
        AuditRecord(action, objectType, id: id, caseID: caseRecord.id, childIDs: childIDs, reason: reason, detail: detail,
                    flagged: flagged)
    }

    /// The entry that records this load as a read of the children's details, for the caller
    /// to log once it knows what it showed (a read under an access grant is flagged for review).
    public var read: AuditRecord {
        audit("view", flagged: context.grant)
    }
}
