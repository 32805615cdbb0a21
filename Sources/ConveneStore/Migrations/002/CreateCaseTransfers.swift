import FluentKit

/// REQ-003-01: a case moved from one team to another (routing or a manager's decision).
struct CreateCaseTransfers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseTransfer.schema)
            .id()
            .field("case_id", .uuid, .required, .references(Case.schema, "id"))
            .field("from_team_id", .uuid, .required, .references(Team.schema, "id"))
            .field("to_team_id", .uuid, .required, .references(Team.schema, "id"))
            .field("reason", .string, .required)
            .field("transferred_by", .uuid)
            .field("transferred_by_name", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await Index.create("case_transfers_case", on: CaseTransfer.schema, ["case_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseTransfer.schema).delete()
    }
}
