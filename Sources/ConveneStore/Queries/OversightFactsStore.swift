import ConveneCore
import FluentKit
import Foundation
import SQLKit

/// Reads and writes the stored facts of discussions (issue 13). The performance view reads one
/// authority's rows in an indexed date window instead of running every case's timeline again.
public enum OversightFactsStore {
    /// Writes the facts of a case's discussions (new rows or changed ones), in the caller's
    /// transaction.
    public static func save(_ facts: [DiscussionFacts], on db: any Database) async throws {
        guard !facts.isEmpty else { return }
        let existing = try await DiscussionFactsRecord.query(on: db).filter(\.$id ~~ facts.map(\.discussionID)).all()
        let byID = Dictionary(existing.compactMap { row in row.id.map { ($0, row) } }, uniquingKeysWith: { a, _ in a })
        for f in facts {
            if let row = byID[f.discussionID] {
                row.apply(f)
                try await row.save(on: db)
            } else {
                try await DiscussionFactsRecord(f).create(on: db)
            }
        }
    }

    /// The facts a view from `from` to `to` may count: discussions requested in that window (a
    /// duty or action is counted in the period of its own date, so the window starts early
    /// enough for the view to reach them), and every decision still deferred. Only the facts
    /// column is read, and decoded straight from the rows.
    public static func facts(organisation: UUID, team: UUID? = nil, packID: String? = nil, urgency: Urgency? = nil,
                             requestedFrom from: Date, to: Date, on db: any Database) async throws -> [DiscussionFacts] {
        let sql = try DiscussionList.sql(db)
        let query = sql.select().column("facts").from(DiscussionFactsRecord.schema)
        filter(query, organisation: organisation, team: team, packID: packID, urgency: urgency)
        query.where(group: { either in
            either.where(group: { $0.where("requested_at", .greaterThanOrEqual, bound(from)).where("requested_at", .lessThan, bound(to)) })
                .orWhere("deferred_since", .isNot, SQLLiteral.null)
        })
        return try await query.all().map { try $0.decode(column: "facts", as: DiscussionFacts.self) }
    }

    /// The discussions held from `from` to `to`, as the weekly trend counts them, read from
    /// scalar columns (migration 008) with their convening deadline's status at `asOf`.
    public static func held(organisation: UUID, team: UUID? = nil, packID: String? = nil, urgency: Urgency? = nil,
                            from: Date, to: Date, asOf: Date, on db: any Database) async throws -> [HeldConvening] {
        struct Row: Decodable {
            let held_at: Date
            let convening_timeliness: DutyTimeliness?
            let convening_due: Date?
            let convening_late_reason: Bool?
        }
        let sql = try DiscussionList.sql(db)
        let query = sql.select().column("held_at").column("convening_timeliness").column("convening_due")
            .column("convening_late_reason").from(DiscussionFactsRecord.schema)
        filter(query, organisation: organisation, team: team, packID: packID, urgency: urgency)
        query.where("held_at", .greaterThanOrEqual, bound(from)).where("held_at", .lessThan, bound(to))
        return try await query.all(decoding: Row.self).map { row in
            HeldConvening(heldAt: row.held_at,
                           convening: row.convening_timeliness?.at(asOf, due: row.convening_due,
                                                                   lateReason: row.convening_late_reason ?? false))
        }
    }

    /// The procedures (pack ids) an authority's discussions ran under, in order.
    public static func packIDs(organisation: UUID, on db: any Database) async throws -> [String] {
        struct Row: Decodable { let pack_id: String }
        let sql = try DiscussionList.sql(db)
        return try await sql.select().distinct().column("pack_id").from(DiscussionFactsRecord.schema)
            .where("organisation_id", .equal, bound(organisation)).orderBy("pack_id")
            .all(decoding: Row.self).map(\.pack_id)
    }

    private static func filter(_ query: SQLSelectBuilder, organisation: UUID, team: UUID?, packID: String?, urgency: Urgency?) {
        query.where("organisation_id", .equal, bound(organisation))
        if let team { query.where("team_id", .equal, bound(team)) }
        if let packID { query.where("pack_id", .equal, bound(packID)) }
        if let urgency { query.where("urgency", .equal, bound(urgency)) }
    }

    /// How many discussions have stored facts (the backfill reports it).
    public static func count(on db: any Database) async throws -> Int {
        try await DiscussionFactsRecord.query(on: db).count()
    }
}
