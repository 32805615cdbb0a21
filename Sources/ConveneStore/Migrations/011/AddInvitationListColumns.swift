import FluentKit

/// Issue 12 (speed at 100,000 discussions): invitations carry their discussion's team,
/// reference, meeting time and next deadline (`InvitationMirror`), filled in here for every
/// invitation there is, and are indexed by person in each list's order, with the columns a list
/// skips them by. A list's invitations are then read a page at a time in its order, and a team
/// manager's invitations to their own team's discussions are passed over in the index.
struct AddInvitationListColumns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(Invitation.schema).field("team_id", .uuid).update()
        try await database.schema(Invitation.schema).field("reference", .string).update()
        try await database.schema(Invitation.schema).field("slot_start", .datetime).update()
        try await database.schema(Invitation.schema).field("next_due", .datetime).update()
        try await InvitationMirror.refreshAll(on: database)
        try await Index.create("invitations_person_due", on: Invitation.schema,
                               ["person_id", "next_due", "reference", "organisation_id", "team_id", "discussion_id"], database)
        try await Index.create("invitations_person_slot", on: Invitation.schema,
                               ["person_id", "slot_start", "reference", "organisation_id", "team_id", "discussion_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await Index.drop("invitations_person_slot", database)
        try await Index.drop("invitations_person_due", database)
        for column in ["next_due", "slot_start", "reference", "team_id"] {
            try await database.schema(Invitation.schema).deleteField(.string(column)).update()
        }
    }
}
