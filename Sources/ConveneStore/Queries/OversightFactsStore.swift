import ConveneCore
import FluentKit
import Foundation
import SQLKit
import Synchronization

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
    /// enough for the view to reach them), and every decision still deferred. Two indexed reads
    /// (the window by request time, the deferred ones by the date they were deferred), so an
    /// authority's older discussions are never read. Only the id and the facts column are read;
    /// the JSON is decoded only where it differs from what this process last decoded for that
    /// discussion (`DecodedFacts`), and then a share of it on each core.
    public static func facts(organisation: UUID, team: UUID? = nil, packID: String? = nil, urgency: Urgency? = nil,
                             requestedFrom from: Date, to: Date, on db: any Database) async throws -> [DiscussionFacts] {
        let sql = try DiscussionList.sql(db)
        // As text on both databases (PostgreSQL keeps it as jsonb).
        let factsText = SQLAlias(SQLRaw("CAST(facts AS TEXT)"), as: SQLIdentifier("facts"))
        let inWindow = sql.select().column("id").column(factsText).from(DiscussionFactsRecord.schema)
        filter(inWindow, organisation: organisation, team: team, packID: packID, urgency: urgency)
        inWindow.where("requested_at", .greaterThanOrEqual, bound(from)).where("requested_at", .lessThan, bound(to))
        let deferred = sql.select().column("id").column(factsText).from(DiscussionFactsRecord.schema)
        filter(deferred, organisation: organisation, team: team, packID: packID, urgency: urgency)
        deferred.where("deferred_since", .isNot, SQLLiteral.null)
            .where(group: { $0.where("requested_at", .lessThan, bound(from)).orWhere("requested_at", .greaterThanOrEqual, bound(to)) })
        struct Row: Decodable, Sendable {
            let id: UUID
            let facts: String
        }
        async let older = deferred.all(decoding: Row.self)
        let rows = try await inWindow.all(decoding: Row.self) + (try await older)
        return try await DecodedFacts.shared.facts(rows.map { ($0.id, $0.facts) })
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

/// The facts this process last decoded for each discussion, with the exact text they were
/// decoded from (issue 13: decoding the JSON was most of a performance view's time). A stored
/// text that differs in any way is decoded afresh, so what is returned is always what the row
/// holds now, on any number of servers sharing one database. Bounded: past `capacity` entries only
/// those of the latest view are kept.
final class DecodedFacts: Sendable {
    static let shared = DecodedFacts(capacity: 60_000)
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    private struct Entry {
        let text: String
        let facts: DiscussionFacts
        let used: UInt64
    }

    private struct State {
        var entries: [UUID: Entry] = [:]
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The facts of each (id, stored text), in order.
    func facts(_ rows: [(UUID, String)]) async throws -> [DiscussionFacts] {
        let (now, cached): (UInt64, [DiscussionFacts?]) = state.withLock { state in
            state.clock += 1
            let now = state.clock
            return (now, rows.map { id, text in
                guard let entry = state.entries[id], entry.text == text else { return nil }
                state.entries[id] = Entry(text: text, facts: entry.facts, used: now)
                return entry.facts
            })
        }
        var found = cached
        let missing = found.indices.filter { found[$0] == nil }
        guard !missing.isEmpty else { return found.map { $0! } }
        let decoded = try await Self.decode(missing.map { rows[$0].1 })
        for (index, facts) in zip(missing, decoded) { found[index] = facts }
        state.withLock { state in
            for (index, facts) in zip(missing, decoded) {
                state.entries[rows[index].0] = Entry(text: rows[index].1, facts: facts, used: now)
            }
            if state.entries.count > capacity {
                // Keep what this view used (if that fits), drop the rest.
                state.entries = state.entries.filter { $0.value.used == now }
                if state.entries.count > capacity { state.entries = [:] }
            }
        }
        return found.map { $0! }
    }

    /// JSON to facts, a share on each core.
    static func decode(_ texts: [String]) async throws -> [DiscussionFacts] {
        let share = 256
        @Sendable func decodeAll(_ slice: ArraySlice<String>) throws -> [DiscussionFacts] {
            let decoder = JSONDecoder()
            return try slice.map { try decoder.decode(DiscussionFacts.self, from: Data($0.utf8)) }
        }
        guard texts.count > share else { return try decodeAll(texts[...]) }
        return try await withThrowingTaskGroup(of: (Int, [DiscussionFacts]).self) { group in
            for start in stride(from: 0, to: texts.count, by: share) {
                let slice = texts[start..<min(start + share, texts.count)]
                group.addTask { (start, try decodeAll(slice)) }
            }
            var parts: [(Int, [DiscussionFacts])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// How many discussions' facts are kept.
    var count: Int {
        state.withLock { $0.entries.count }
    }
}
