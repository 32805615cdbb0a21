import FluentKit

/// Issue 15: sign-ins in progress through an authority's directory (state, nonce, PKCE).
struct CreateOIDCSignIns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OIDCSignIn.schema)
            .id()
            .field("provider_id", .uuid, .required, .references(OIDCProvider.schema, "id", onDelete: .cascade))
            .field("state_hash", .string, .required)
            .field("nonce_hash", .string, .required)
            .field("browser_hash", .string, .required)
            .field("code_verifier", .string, .required)
            .field("next", .string, .required)
            .field("known_device_person_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "state_hash")
            .create()
        try await Index.create("oidc_sign_ins_nonce", on: OIDCSignIn.schema, ["nonce_hash"], database)
        try await Index.create("oidc_sign_ins_expiry", on: OIDCSignIn.schema, ["expires_at"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OIDCSignIn.schema).delete()
    }
}
