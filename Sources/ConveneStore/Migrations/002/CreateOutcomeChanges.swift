import FluentKit

/// DEC-004-01: significant changes to an s47 outcome, put to the original members.
struct CreateOutcomeChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutcomeChange.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("case_id", .uuid, .required, .references(Case.schema, "id"))
            .field("discussion_id", .uuid, .required, .references(Discussion.schema, "id"))
            .field("change", .string, .required)
            .field("reason", .string, .required)
            .field("proposed_by", .uuid, .required)
            .field("proposed_by_name", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("members", .int, .required)
            .field("status", .string, .required)
            .field("decided_at", .datetime)
            .create()
        try await Index.create("outcome_changes_case", on: OutcomeChange.schema, ["case_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutcomeChange.schema).delete()
    }
}
