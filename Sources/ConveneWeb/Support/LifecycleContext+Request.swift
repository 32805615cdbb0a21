import ConveneCore
import ConveneLifecycle
import ConveneStore
import Fluent
import Foundation
import Vapor

extension ConveneServices {
    func lifecycle(db: any Database, user: CurrentUser?, clientAddress: String, actor: Actor? = nil) -> LifecycleContext {
        LifecycleContext(db: db, user: user, clientAddress: clientAddress, actor: actor, now: now, packs: installation.packs,
                         publicAddress: options.publicAddress, packCache: installation.packCache, passwords: Passwords.hasher(cost: options.passwordCost))
    }
}

extension Application {
    /// A context for a command or a job, acting as the system.
    public func lifecycleContext(acting actor: Actor) -> LifecycleContext {
        convene.lifecycle(db: db, user: nil, clientAddress: "", actor: actor)
    }
}

extension Request {
    /// The lifecycle context of this request: its database, the signed-in person and their
    /// address, the clock and the packs.
    public var lifecycle: LifecycleContext {
        convene.lifecycle(db: db, user: currentUser, clientAddress: clientIP)
    }

    /// Loads a discussion for a permission (`DiscussionAccess.load`), or refuses: 404 when the
    /// person may not even know it exists, 403 when they may see it but not do this; every
    /// refusal is audited. The load counts as a read of the children's details, logged before
    /// the response leaves unless the handler logs what it showed (`ReadLogging`).
    func discussion(_ id: UUID, for permission: Permission) async throws -> LoadedDiscussion {
        let loaded = try await DiscussionAccess.load(id, for: permission, lifecycle)
        readLog.loaded(loaded.id, loaded.read)
        return loaded
    }

    /// A case through its initial discussion's access rules, with its timeline.
    func caseTimeline(_ caseID: UUID, for permission: Permission) async throws -> (LoadedDiscussion, CaseTimeline) {
        let (loaded, timeline) = try await DiscussionAccess.loadCase(caseID, for: permission, lifecycle)
        readLog.loaded(loaded.id, loaded.read)
        return (loaded, timeline)
    }

    /// A discussion for booking or rebooking, at a stage that allows it.
    func discussionForBooking(_ id: UUID) async throws -> LoadedDiscussion {
        let loaded = try await DiscussionAccess.loadForBooking(id, lifecycle)
        readLog.loaded(loaded.id, loaded.read)
        return loaded
    }

    /// The pack of the signed-in person's authority.
    func ownPack() async throws -> ProcedurePack {
        return try await lifecycle.ownPack()
    }

    /// The pack an authority follows.
    func organisationPackID(_ organisationID: UUID) async throws -> String {
        try await lifecycle.organisationPackID(organisationID)
    }

    /// A UUID path parameter, or 404.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw Abort(.notFound) }
        return id
    }
}
