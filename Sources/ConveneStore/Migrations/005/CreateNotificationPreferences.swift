import FluentKit

/// Issue 11: each person's choice per kind of notice (at once, daily digest, off).
struct CreateNotificationPreferences: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationPreference.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("delivery", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "person_id", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationPreference.schema).delete()
    }
}
