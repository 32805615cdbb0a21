import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// A SMART action, reached outside its discussion's pages (ACT-ALL-03): the person responsible
/// at any stage; other invitees once the minutes are circulated; the team as for the record.
public struct LoadedAction: Sendable {
    public let action: ActionRecord
    public let discussion: Discussion
    public let context: AccessContext

    public func allows(_ permission: Permission) -> Bool {
        AccessPolicy.allows(permission, context)
    }

    /// The entry that records showing the action.
    public func read(detail: String = "") -> AuditRecord {
        AuditRecord("view", "action", id: action.id, caseID: discussion.$case.id, detail: detail)
    }

    /// Loads the action if the person acting may view it, or refuses (audited, as for a
    /// discussion: 404 when they may not know the discussion exists, else 403).
    public static func load(_ actionID: UUID, _ ctx: LifecycleContext) async throws -> LoadedAction {
        let user = try ctx.requireUser()
        guard let action = try await ActionRecord.find(actionID, on: ctx.db),
              let discussion = try await Discussion.find(action.$discussion.id, on: ctx.db) else { throw LifecycleError.notFound() }
        var context = try await DiscussionAccess.standing(of: user, towards: discussion, ctx)
        context.actionOwner = action.ownerPersonID == user.id
        guard AccessPolicy.allows(.viewAction, context) else {
            try await ctx.db.audit([AuditRecord("access-denied", "action", id: action.id, caseID: discussion.$case.id,
                                                reason: Permission.updateActionStatus.rawValue)], by: ctx.actor, now: ctx.now)
            throw LifecycleError.refused(canSee: AccessPolicy.allows(.viewDiscussion, context))
        }
        guard RecordSeal.isIntact(discussion, key: try ctx.db.keyRing().sealKey) else {
            throw IntegrityError.discussion(discussion.reference)
        }
        return LoadedAction(action: action, discussion: discussion, context: context)
    }
}
