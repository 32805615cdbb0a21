import FluentKit

/// Issue 13: the facts behind the performance figures, one row per discussion, kept up to date
/// as each change is written. Indexed for the view's filters: authority, team, procedure and
/// the dates a period is counted on.
struct CreateDiscussionFacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DiscussionFactsRecord.schema)
            .field("id", .uuid, .identifier(auto: false), .references(Discussion.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required)
            .field("team_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            .field("pack_id", .string, .required)
            .field("urgency", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("held_at", .datetime)
            .field("deferred_since", .datetime)
            .field("facts", .json, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await Index.create("discussion_facts_requested", on: DiscussionFactsRecord.schema,
                               ["organisation_id", "requested_at"], database)
        try await Index.create("discussion_facts_team", on: DiscussionFactsRecord.schema,
                               ["organisation_id", "team_id", "requested_at"], database)
        try await Index.create("discussion_facts_pack", on: DiscussionFactsRecord.schema,
                               ["organisation_id", "pack_id", "requested_at"], database)
        try await Index.create("discussion_facts_held", on: DiscussionFactsRecord.schema, ["organisation_id", "held_at"], database)
        try await Index.create("discussion_facts_deferred", on: DiscussionFactsRecord.schema,
                               ["organisation_id", "deferred_since"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DiscussionFactsRecord.schema).delete()
    }
}
