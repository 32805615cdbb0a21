import FluentKit

/// REQ-003-01: the areas a team covers.
struct AddTeamAreas: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Team.schema).field("areas", .array(of: .string)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Team.schema).deleteField("areas").update()
    }
}
