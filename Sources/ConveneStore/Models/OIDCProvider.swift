import ConveneCore
import FluentKit
import Foundation

/// An authority's own directory (Microsoft Entra ID or any OpenID Connect provider), through
/// which its staff sign in (issue 15). One per authority, set by its administrator.
public final class OIDCProvider: Model, @unchecked Sendable {
    public static let schema = "oidc_providers"

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// What the sign-in button says after "Sign in with", e.g. "Northtown Council account".
    @Field(key: "display_name") public var displayName: String
    /// Exactly as the provider's discovery document and ID tokens give it.
    @Field(key: "issuer") public var issuer: String
    @Field(key: "client_id") public var clientID: String
    /// The client secret, sealed (`StoredSecret`, context `sealContext`); never shown again.
    @Field(key: "client_secret_sealed") public var clientSecretSealed: String
    /// Lower-case email domains, separated by spaces; empty: any. People are matched by email and
    /// created only within them.
    @Field(key: "allowed_domains") public var allowedDomains: String
    /// Create a person at their first sign-in when none matches.
    @Field(key: "create_people") public var createPeople: Bool
    /// The role such a person gets (never administrator or auditor).
    @Field(key: "default_role") public var defaultRole: Role
    /// Whether the authority's staff may still sign in with a Convene password. Partner agencies
    /// and administrators always may.
    @Field(key: "staff_passwords") public var staffPasswords: Bool
    @Field(key: "enabled") public var enabled: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(organisationID: UUID) {
        self.organisationID = organisationID
        displayName = ""
        issuer = ""
        clientID = ""
        clientSecretSealed = ""
        allowedDomains = ""
        createPeople = false
        defaultRole = .socialWorker
        staffPasswords = true
        enabled = true
    }

    /// What the sealed client secret is bound to: this authority's provider.
    public static func sealContext(organisationID: UUID) -> String {
        "oidc-client-secret:" + organisationID.uuidString.lowercased()
    }

    public var domains: [String] {
        allowedDomains.split(whereSeparator: { $0 == " " || $0 == "," }).map { $0.lowercased() }
    }
}

extension OIDCProvider {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $displayName, $issuer, $clientID, $clientSecretSealed, $allowedDomains,
            $createPeople, $defaultRole, $staffPasswords, $enabled, $createdAt, $updatedAt,
        ]
    }
}
