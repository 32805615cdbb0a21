import FluentKit

/// REQ-002-01: personal links to teleconference request extracts, opened with a separate code.
struct CreateExtractAccesses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExtractAccess.schema)
            .id()
            .field("discussion_id", .uuid, .required, .references(Discussion.schema, "id"))
            .field("invitation_id", .uuid, .required, .references(Invitation.schema, "id"))
            .field("token_hash", .string, .required)
            .field("code_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("failed_attempts", .int, .required)
            .field("opened_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExtractAccess.schema).delete()
    }
}
