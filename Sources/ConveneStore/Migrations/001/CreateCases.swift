import FluentKit

struct CreateCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Case.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("team_id", .uuid, .required, .references(Team.schema, "id"))
            .field("reference", .string, .required)
            .field("case_type", .string, .required)
            .field("complex", .bool, .required)
            .field("immediate_concerns", .bool, .required)
            .field("concerns", .array(of: .string), .required)
            .field("concern_received_at", .datetime, .required)
            .field("closed", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "organisation_id", "reference")
            .create()
        try await database.schema(CaseChild.schema)
            .id()
            .field("case_id", .uuid, .required, .references(Case.schema, "id"))
            .field("organisation_id", .uuid, .required)
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("search_name", .string, .required)
            .field("date_of_birth", .string)
            .field("details", .json, .required)
            .create()
        try await Index.create("case_children_case", on: CaseChild.schema, ["case_id"], database)
        try await Index.create("case_children_search", on: CaseChild.schema, ["organisation_id", "search_name"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseChild.schema).delete()
        try await database.schema(Case.schema).delete()
    }
}
