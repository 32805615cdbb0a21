import FluentKit

/// OVS-001-01: a service manager's observation of a strategy discussion.
struct CreateObservations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Observation.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("observer_id", .uuid, .required, .references(Person.schema, "id"))
            .field("discussion_id", .uuid, .required, .references(Discussion.schema, "id", onDelete: .cascade))
            .field("observed_at", .datetime, .required)
            .field("notes", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await Index.create("observations_observer", on: Observation.schema,
                               ["organisation_id", "observer_id", "observed_at"], database)
        try await Index.create("observations_discussion", on: Observation.schema, ["discussion_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Observation.schema).delete()
    }
}
