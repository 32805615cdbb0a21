import FluentKit

/// Issue 12 (speed): lists read from indexes alone. A discussion's row is a few kilobytes (its
/// request and record as JSON), so a list that read the rows of a team's thousands of discussions
/// to sort them by deadline read thousands of pages. These indexes carry every column a list shows
/// (`DiscussionRow`), in the orders the lists ask for: a team's or an authority's by next deadline,
/// and by id for the discussions a person was invited to (found through the invitations' own
/// covering index). The indexes they make redundant go.
struct AddListIndexes: AsyncMigration {
    /// `DiscussionRow`'s columns after the leading ones of each index.
    static let rowColumns = ["id", "organisation_id", "team_id", "case_id", "sequence", "reference", "stage", "urgency",
                             "requested_by", "requested_at", "slot_start", "slot_end", "meeting_format", "chair_id",
                             "minute_taker_id", "next_due", "next_duty", "lock_version"]

    static func covering(_ leading: [String]) -> [String] {
        leading + rowColumns.filter { !leading.contains($0) }
    }

    func prepare(on database: any Database) async throws {
        try await Index.create("discussions_team_list", on: Discussion.schema,
                               Self.covering(["organisation_id", "team_id", "next_due", "reference"]), database)
        try await Index.create("discussions_organisation_list", on: Discussion.schema,
                               Self.covering(["organisation_id", "next_due", "reference"]), database)
        try await Index.create("discussions_id_list", on: Discussion.schema,
                               Self.covering(["id", "stage", "slot_start", "next_due", "reference"]), database)
        try await Index.create("invitations_person_discussion", on: Invitation.schema, ["person_id", "discussion_id"], database)
        try await Index.drop("discussions_next_due", database)
        try await Index.drop("invitations_person", database)
    }

    func revert(on database: any Database) async throws {
        try await Index.create("invitations_person", on: Invitation.schema, ["person_id"], database)
        try await Index.create("discussions_next_due", on: Discussion.schema, ["organisation_id", "next_due"], database)
        for name in ["invitations_person_discussion", "discussions_id_list", "discussions_organisation_list", "discussions_team_list"] {
            try await Index.drop(name, database)
        }
    }
}
