import ConveneCore
import FluentKit
import Foundation

/// Someone who uses Convene: local authority staff, partner agency members, administrators
/// and auditors. External invitees without accounts get a person record too (no password).
public final class Person: Model, @unchecked Sendable {
    public static let schema = "people"

    @ID public var id: UUID?
    @Parent(key: "organisation_id") public var organisation: Organisation
    @OptionalParent(key: "team_id") public var team: Team?
    @Field(key: "name") public var name: String
    /// Lower-cased; unique within the authority (migration 003).
    @Field(key: "email") public var email: String
    @Field(key: "role") public var role: Role
    /// The agency the person works for (vocabulary id), and their role in it (e.g. jcpit-manager).
    @Field(key: "agency") public var agency: String
    @Field(key: "agency_role") public var agencyRole: String
    @OptionalField(key: "password_hash") public var passwordHash: String?
    @OptionalField(key: "totp_secret") public var totpSecret: String?
    @Field(key: "totp_enabled") public var totpEnabled: Bool
    @Field(key: "failed_logins") public var failedLogins: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    @OptionalField(key: "disabled_at") public var disabledAt: Date?
    /// The 30-second step of the last security code accepted: a code is accepted once only.
    @OptionalField(key: "totp_last_step") public var totpLastStep: Int64?
    /// Set when an administrator gave a temporary password: it must be changed before anything else.
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    /// The person's identity in their authority's directory (issue 15): its issuer and `sub`,
    /// kept once matched. Unique within the authority.
    @OptionalField(key: "oidc_issuer") public var oidcIssuer: String?
    @OptionalField(key: "oidc_subject") public var oidcSubject: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, teamID: UUID?, name: String, email: String, role: Role,
                agency: String, agencyRole: String, passwordHash: String? = nil) {
        self.id = id
        $organisation.id = organisationID
        $team.id = teamID
        self.name = name
        self.email = email.lowercased()
        self.role = role
        self.agency = agency
        self.agencyRole = agencyRole
        self.passwordHash = passwordHash
        totpEnabled = false
        failedLogins = 0
        mustChangePassword = false
    }
}

extension Person {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisation, $team, $name, $email, $role, $agency, $agencyRole, $passwordHash, $totpSecret,
            $totpEnabled, $failedLogins, $lockedUntil, $disabledAt, $totpLastStep, $mustChangePassword,
            $oidcIssuer, $oidcSubject, $createdAt,
        ]
    }
}
