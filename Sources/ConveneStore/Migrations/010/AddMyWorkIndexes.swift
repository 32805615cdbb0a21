import FluentKit

/// Issue 12 (speed): My work's "minutes to read" finds a person's unread circulated minutes
/// from an index of their invitations by whether each was opened, instead of reading the row of
/// every invitation they ever had (a team manager invited to a thousand meetings read a thousand
/// rows on every visit).
struct AddMyWorkIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Index.create("invitations_person_unread", on: Invitation.schema, ["person_id", "opened_at", "circulated_at"], database)
    }

    func revert(on database: any Database) async throws {
        try await Index.drop("invitations_person_unread", database)
    }
}
