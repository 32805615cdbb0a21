import FluentKit

/// Issue 15: each authority's own directory (OpenID Connect), at most one per authority.
struct CreateOIDCProviders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OIDCProvider.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("display_name", .string, .required)
            .field("issuer", .string, .required)
            .field("client_id", .string, .required)
            .field("client_secret_sealed", .string, .required)
            .field("allowed_domains", .string, .required)
            .field("create_people", .bool, .required)
            .field("default_role", .string, .required)
            .field("staff_passwords", .bool, .required)
            .field("enabled", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organisation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OIDCProvider.schema).delete()
    }
}
