import FluentKit
import Foundation

/// One sign-in through an authority's directory, from the moment the person is sent there until
/// they come back (issue 15). Only hashes of the `state`, the `nonce` and the browser's cookie
/// are kept. A row is used once: the state and nonce are then spent, and the row stays a day so
/// that an ID token carrying its nonce again is recognised as a replay.
public final class OIDCSignIn: Model, @unchecked Sendable {
    public static let schema = "oidc_sign_ins"

    @ID public var id: UUID?
    @Parent(key: "provider_id") public var provider: OIDCProvider
    @Field(key: "state_hash") public var stateHash: String
    @Field(key: "nonce_hash") public var nonceHash: String
    /// SHA-256 of the value of the cookie set on the browser that started the sign-in.
    @Field(key: "browser_hash") public var browserHash: String
    /// The PKCE code verifier (RFC 7636), sent to the token endpoint with the code.
    @Field(key: "code_verifier") public var codeVerifier: String
    /// Where to go once signed in (a local path, checked when it was given).
    @Field(key: "next") public var next: String
    /// The account whose "known device" cookie the browser held when its address was blocked:
    /// only that account may finish this sign-in while the block lasts.
    @OptionalField(key: "known_device_person_id") public var knownDevicePersonID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    public init(providerID: UUID, stateHash: String, nonceHash: String, browserHash: String, codeVerifier: String, next: String,
                knownDevicePersonID: UUID?, now: Date, expiresAt: Date) {
        $provider.id = providerID
        self.stateHash = stateHash
        self.nonceHash = nonceHash
        self.browserHash = browserHash
        self.codeVerifier = codeVerifier
        self.next = next
        self.knownDevicePersonID = knownDevicePersonID
        createdAt = now
        self.expiresAt = expiresAt
    }
}

extension OIDCSignIn {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $provider, $stateHash, $nonceHash, $browserHash, $codeVerifier, $next, $knownDevicePersonID,
            $createdAt, $expiresAt, $usedAt,
        ]
    }
}
