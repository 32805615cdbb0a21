import FluentKit

/// Issue 12 (speed): lists of discussions in given stages by deadline (My work's "to decide",
/// "chairing", "to book", "to circulate"…) are read a stage at a time in deadline order from an
/// index that leads with what the list is kept to (a person's own, a team's, an authority's)
/// and the stage (`DiscussionList`'s stage split). Before, they walked the whole team's or
/// authority's list by deadline until enough in those stages turned up: thousands of entries on
/// every visit to My work at 100,000 discussions. Two indexes of migration 001 are replaced by
/// the longer ones that begin with their columns: (chair, stage) and (authority, team, stage).
struct AddStageListIndexes: AsyncMigration {
    /// Each index, the columns that lead it (each an equality in the lists it serves), then the
    /// stage, the deadline and the reference.
    static let indexes: [(name: String, leading: [String])] = [
        ("discussions_chair_due", ["chair_id"]),
        ("discussions_minute_taker_due", ["minute_taker_id"]),
        ("discussions_requester_due", ["requested_by"]),
        ("discussions_team_stage_due", ["organisation_id", "team_id"]),
        ("discussions_organisation_stage_due", ["organisation_id"]),
    ]
    static let replaced: [(name: String, columns: [String])] = [
        ("discussions_chair", ["chair_id", "stage"]), ("discussions_team_stage", ["organisation_id", "team_id", "stage"]),
    ]

    func prepare(on database: any Database) async throws {
        for index in Self.indexes {
            try await Index.create(index.name, on: Discussion.schema, index.leading + ["stage", "next_due", "reference"], database)
        }
        for index in Self.replaced {
            try await Index.drop(index.name, database)
        }
    }

    func revert(on database: any Database) async throws {
        for index in Self.replaced {
            try await Index.create(index.name, on: Discussion.schema, index.columns, database)
        }
        for index in Self.indexes {
            try await Index.drop(index.name, database)
        }
    }
}
