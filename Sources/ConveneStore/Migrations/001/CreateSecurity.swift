import FluentKit
import SQLKit

struct CreateAudit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field("seq", .int, .required)
            .field("at", .datetime, .required)
            .field("organisation_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .uuid)
            .field("case_id", .uuid)
            .field("child_ids", .string, .required)
            .field("reason", .string, .required)
            .field("detail", .string, .required)
            .field("ip", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .field("flagged", .bool, .required)
            .unique(on: "seq")
            .create()
        try await Index.create("audit_org_at", on: AuditEntry.schema, ["organisation_id", "at"], database)
        try await Index.create("audit_case", on: AuditEntry.schema, ["case_id"], database)
        try await Index.create("audit_actor", on: AuditEntry.schema, ["actor_id", "at"], database)
        try await Index.create("audit_object", on: AuditEntry.schema, ["object_id"], database)
        // The head of the chain: one row, updated in every audited transaction, which also
        // serialises appends across app servers.
        try await database.schema(AuditTrail.headSchema)
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.insert(into: AuditTrail.headSchema).columns("id", "seq", "hash")
            .values(SQLBind(1), SQLBind(0), SQLBind(AuditTrail.genesis)).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditTrail.headSchema).delete()
        try await database.schema(AuditEntry.schema).delete()
    }
}

struct CreateSessionsAndAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("invitation_id", .uuid)
            .field("csrf_token", .string, .required)
            .field("second_factor_pending", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("ip", .string, .required)
            .field("user_agent", .string, .required)
            .unique(on: "token_hash")
            .create()
        try await Index.create("sessions_person", on: UserSession.schema, ["person_id"], database)

        try await database.schema(LoginThrottle.schema)
            .id()
            .field("key", .string, .required)
            .field("count", .int, .required)
            .field("window_start", .datetime, .required)
            .unique(on: "key")
            .create()

        try await database.schema(AccessGrant.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("discussion_id", .uuid, .required, .references(Discussion.schema, "id"))
            .field("kind", .string, .required)
            .field("purpose", .string, .required)
            .field("granted_by", .uuid, .required)
            .field("starts_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("reviewed_by", .uuid)
            .field("reviewed_at", .datetime)
            .field("review_note", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await Index.create("grants_person", on: AccessGrant.schema, ["person_id", "discussion_id"], database)

        try await database.schema(DisclosureRequest.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("discussion_id", .uuid, .required, .references(Discussion.schema, "id"))
            .field("requester_id", .uuid, .required, .references(Person.schema, "id"))
            .field("purpose", .string, .required)
            .field("days", .int, .required)
            .field("status", .string, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .field("decision_reason", .string, .required)
            .field("grant_id", .uuid)
            .field("created_at", .datetime)
            .create()
        try await Index.create("disclosures_org_status", on: DisclosureRequest.schema, ["organisation_id", "status"], database)

        try await database.schema(APIToken.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("token_hash", .string, .required)
            .field("name", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()

        try await database.schema(OutboxMessage.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("to_email", .string, .required)
            .field("to_name", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("discussion_id", .uuid)
            .field("sent_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await Index.create("outbox_org", on: OutboxMessage.schema, ["organisation_id", "created_at"], database)
    }

    func revert(on database: any Database) async throws {
        for schema in [OutboxMessage.schema, APIToken.schema, DisclosureRequest.schema, AccessGrant.schema,
                       LoginThrottle.schema, UserSession.schema] {
            try await database.schema(schema).delete()
        }
    }
}
