import ConveneCore
import ConveneStore
import Foundation

/// The person acting, as every operation sees them: signed in on a page (a session), with an
/// API token, or through an invitee's personal link.
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

    public init(person: Person, session: UserSession?) throws {
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

    /// Staff of the authority, not an invitee's personal link.
    public var isStaff: Bool { invitationScope == nil }

    /// Whether the person's role may do this anywhere in their authority (function-level
    /// access: the request form, the team page, administration, disclosure).
    public func may(_ permission: Permission) -> Bool {
        isStaff && AccessPolicy.allows(permission, AccessContext(role: role, sameOrganisation: true))
    }

    /// Whether the person may search for discussions (issue 14): anyone whose role may see a
    /// discussion at all, signed in (not through a personal link, which reaches one).
    public var maySearch: Bool {
        isStaff && AccessPolicy.rules[.viewDiscussion, default: []].contains { $0.roles.contains(role) }
    }

    /// Whether the person sees the week's booked meetings (issue 14): minute takers and managers,
    /// who book and chair them.
    public var seesMeetingsCalendar: Bool {
        isStaff && [.minuteTaker, .teamManager, .serviceManager].contains(role)
    }
}
