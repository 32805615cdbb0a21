import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Who a verified ID token names, always within the authority the directory belongs to (issue
/// 15; emails are unique within an authority only):
/// 1. the person already linked to this issuer and `sub`;
/// 2. else, only when the directory says the email is verified (and it is in the authority's
///    domains, when it names some), the person with that email, who is then linked, unless they
///    are linked to another identity of this directory already;
/// 3. else a new person, only when the authority creates people at first sign-in, with its
///    default role (never administrator or auditor) and no team until an administrator gives one.
public enum DirectoryPeople {
    public enum Found: Sendable {
        /// `link`: matched by email, to be linked to the token's `sub`.
        case existing(Person, link: Bool)
        case create(email: String, name: String)
    }

    /// Roles a person created at first sign-in may get.
    public static let defaultRoles: [Role] = [.socialWorker, .teamManager, .serviceManager, .minuteTaker]

    public static func find(_ claims: IDTokenClaims, provider: OIDCProvider, db: any Database) async throws -> Found {
        let sub = claims.sub ?? ""
        if let linked = try await Person.query(on: db).filter(\.$organisation.$id == provider.organisationID)
            .filter(\.$oidcIssuer == provider.issuer).filter(\.$oidcSubject == sub).first() {
            return .existing(linked, link: false)
        }
        guard let email = claims.verifiedEmail else {
            throw OIDCRefusal(.emailUnverified, claims.email == nil ? "the directory gave no email address"
                : "the directory did not say the email address is verified")
        }
        let domain = String(email.split(separator: "@").last ?? "")
        if !provider.domains.isEmpty && !provider.domains.contains(domain) {
            throw OIDCRefusal(.notAllowed, "the email domain \(domain) is not one of the authority's").with(email: email)
        }
        if let person = try await Person.query(on: db).filter(\.$organisation.$id == provider.organisationID)
            .filter(\.$email == email).first() {
            if person.oidcIssuer == provider.issuer, person.oidcSubject != nil {
                throw OIDCRefusal(.linkedElsewhere, "the account with this email is linked to another identity in the directory")
                    .with(email: email)
            }
            return .existing(person, link: true)
        }
        guard provider.createPeople, EmailAddress.isPlausible(email) else {
            throw OIDCRefusal(.notAllowed, "no account has this email and the authority does not create people at first sign-in")
                .with(email: email)
        }
        return .create(email: email, name: claims.displayName)
    }

    /// The person to create, in the transaction that signs them in.
    public static func newPerson(email: String, name: String, sub: String, provider: OIDCProvider, agencies: [String]) -> Person {
        let role = defaultRoles.contains(provider.defaultRole) ? provider.defaultRole : .socialWorker
        let agency = agencies.contains("childrens-social-care") ? "childrens-social-care" : (agencies.first ?? "childrens-social-care")
        let person = Person(id: UUID(), organisationID: provider.organisationID, teamID: nil, name: name, email: email, role: role,
                            agency: agency, agencyRole: role.rawValue)
        person.oidcIssuer = provider.issuer
        person.oidcSubject = sub
        return person
    }
}

extension OIDCRefusal {
    public func with(email: String) -> OIDCRefusal {
        var copy = self
        copy.email = email
        return copy
    }
}
