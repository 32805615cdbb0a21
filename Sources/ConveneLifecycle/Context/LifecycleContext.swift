import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// What every lifecycle operation runs with, instead of an HTTP request: the database, who is
/// acting (and from where, for the audit trail), the clock, the procedure packs and the
/// address links in messages start with. Pages and the API build one per request; commands
/// and jobs build their own, acting as the system.
public struct LifecycleContext: Sendable {
    public var db: any Database
    /// The person acting; nil for the system (a job, a command) or someone not signed in.
    public var user: CurrentUser?
    /// The client's address, kept with every audit entry.
    public var clientAddress: String
    public var now: Date
    public var packs: PackLibrary
    /// The address people reach Convene at (`CONVENE_PUBLIC_URL`): every link in a message
    /// starts with it, never with a request's Host header.
    public var publicAddress: String
    /// Which pack each authority follows, held for a minute.
    public var packCache: PackCache
    /// Hashing and checking passwords (bcrypt, from the web layer; a fast stand-in in tests).
    public var passwords: PasswordHashing
    private var explicitActor: Actor?

    public init(db: any Database, user: CurrentUser? = nil, clientAddress: String = "", actor: Actor? = nil, now: Date,
                packs: PackLibrary, publicAddress: String, packCache: PackCache = PackCache(),
                passwords: PasswordHashing = .unavailable) {
        self.db = db
        self.user = user
        self.clientAddress = clientAddress
        explicitActor = actor
        self.now = now
        self.packs = packs
        self.publicAddress = publicAddress
        self.packCache = packCache
        self.passwords = passwords
    }

    /// Who the audit trail names: the person acting, the system, or "anonymous".
    public var actor: Actor {
        explicitActor ?? user?.actor(ip: clientAddress) ?? Actor(id: nil, name: "anonymous", organisationID: nil, ip: clientAddress)
    }

    /// The same context acting as someone else (an invitee's link, a job).
    public func acting(as actor: Actor) -> LifecycleContext {
        var copy = self
        copy.explicitActor = actor
        return copy
    }

    /// The signed-in person, or `notSignedIn`.
    public func requireUser() throws(LifecycleError) -> CurrentUser {
        guard let user else { throw .notSignedIn() }
        return user
    }

    /// An absolute link to a page, for a message.
    public func link(_ url: SiteURL) -> String {
        publicAddress + url.path
    }

    /// The pack an authority follows (cached for a minute: it changes only when an
    /// administrator changes it).
    public func organisationPackID(_ organisationID: UUID) async throws -> String {
        if let cached = packCache.packID(organisationID, now: now) { return cached }
        guard let organisation = try await Organisation.find(organisationID, on: db) else { throw LifecycleError.notFound() }
        packCache.store(organisationID, packID: organisation.packID, now: now)
        return organisation.packID
    }

    /// The procedure pack of an authority.
    public func pack(ofOrganisation organisationID: UUID) async throws -> ProcedurePack {
        guard let pack = packs.pack(try await organisationPackID(organisationID)) else {
            throw MissingPack(organisationID: organisationID)
        }
        return pack
    }

    /// The pack of the signed-in person's authority.
    public func ownPack() async throws -> ProcedurePack {
        try await pack(ofOrganisation: try requireUser().organisationID)
    }
}

/// An authority names a pack Convene does not hold: a fault of the installation, not of the
/// person asking (a 500, logged).
public struct MissingPack: Error, CustomStringConvertible {
    public let organisationID: UUID

    public var description: String { "The procedure pack of organisation \(organisationID) is missing." }
}
