import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// The signed-in person, as every handler sees them.
public struct CurrentUser: Sendable {
    public let id: UUID
    public let organisationID: UUID
    public let teamID: UUID?
    public let name: String
    public let email: String
    public let role: Role
    public let agency: String
    public let agencyRole: String
    public let totpEnabled: Bool
    /// The session (cookie sign-in); nil for an API token.
    public let sessionID: UUID?
    public let csrfToken: String?
    /// A session opened by an invitee's personal link reaches only this invitation's discussion.
    public let invitationScope: UUID?
    /// Signed in with a temporary password an administrator gave: nothing but changing it.
    public let mustChangePassword: Bool

    init(person: Person, session: UserSession?) throws {
        id = try person.requireID()
        organisationID = person.$organisation.id
        teamID = person.$team.id
        name = person.name
        email = person.email
        role = person.role
        agency = person.agency
        agencyRole = person.agencyRole
        totpEnabled = person.totpEnabled
        sessionID = session?.id
        csrfToken = session?.csrfToken
        invitationScope = session?.invitationID
        // Only someone who signed in with the temporary password must change it: the directory
        // vouches for a person signed in through it (issue 15).
        mustChangePassword = person.mustChangePassword && (session.map { $0.method == SignInMethod.password.rawValue } ?? true)
    }

    public func actor(ip: String) -> Actor {
        Actor(id: id, name: name, organisationID: organisationID, ip: ip)
    }
}

extension Request {
    struct CurrentUserKey: StorageKey {
        typealias Value = CurrentUser
    }

    public var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in person, or 401 (pages turn it into a redirect to sign in).
    public func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized, reason: "Sign in to continue.") }
        return user
    }

    public var actor: Actor {
        currentUser?.actor(ip: clientIP) ?? Actor(id: nil, name: "anonymous", organisationID: nil, ip: clientIP)
    }

    /// True for the JSON API; its errors are problem details, not pages.
    public var isAPI: Bool {
        url.path.hasPrefix("/api/")
    }
}
