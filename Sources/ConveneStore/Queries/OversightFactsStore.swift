import ConveneCore
import FluentKit
import Foundation

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
    /// enough for the view to reach them), and every decision still deferred.
    public static func facts(organisation: UUID, team: UUID? = nil, packID: String? = nil, requestedFrom from: Date,
                             to: Date, on db: any Database) async throws -> [DiscussionFacts] {
        var query = DiscussionFactsRecord.query(on: db).filter(\.$organisationID == organisation)
        if let team { query = query.filter(\.$teamID == team) }
        if let packID { query = query.filter(\.$packID == packID) }
        let rows = try await query.group(.or) { either in
            either.group(.and) { $0.filter(\.$requestedAt >= from).filter(\.$requestedAt < to) }
            either.filter(\.$deferredSince != nil)
        }.all()
        return rows.map(\.facts)
    }

    /// How many discussions have stored facts (the backfill reports it).
    public static func count(on db: any Database) async throws -> Int {
        try await DiscussionFactsRecord.query(on: db).count()
    }
}
