import ConveneCore
import FluentKit
import Foundation
import SQLKit

/// One discussion as a list shows it: the columns lists need, without the request and the
/// record (large JSON a list never shows, and the most expensive part of reading a row).
public struct DiscussionRow: Decodable, Sendable, Hashable {
    public let id: UUID
    public let organisationID: UUID
    public let teamID: UUID
    public let caseID: UUID
    public let sequence: Int
    public let reference: String
    public let stage: DiscussionStage
    public let urgency: Urgency
    public let requestedBy: UUID
    public let requestedAt: Date
    public let slotStart: Date?
    public let slotEnd: Date?
    public let meetingFormat: String
    public let chairID: UUID?
    public let minuteTakerID: UUID?
    public let nextDue: Date?
    public let nextDuty: String
    public let lockVersion: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, organisationID = "organisation_id", teamID = "team_id", caseID = "case_id", sequence, reference, stage, urgency
        case requestedBy = "requested_by", requestedAt = "requested_at", slotStart = "slot_start", slotEnd = "slot_end"
        case meetingFormat = "meeting_format", chairID = "chair_id", minuteTakerID = "minute_taker_id", nextDue = "next_due"
        case nextDuty = "next_duty", lockVersion = "lock_version"
    }
}

/// Who is asking for a list, and what the access policy lets them list (ASVS-5.0-8.2.2): the
/// same scopes as `AccessPolicy`'s view-discussion rule, written as one indexed query, so that
/// lists are exact pages whatever the number of discussions (issue 12).
public struct DiscussionListScope: Sendable {
    public var organisationID: UUID
    public var personID: UUID
    /// Service managers and minute takers: every discussion of the authority.
    public var organisationWide: Bool
    /// Social workers and team managers: their team's.
    public var teamID: UUID?
    /// A personal-link session: only the discussion of this invitation.
    public var invitationScope: UUID?
    /// For current access grants.
    public var now: Date

    public init(organisationID: UUID, personID: UUID, organisationWide: Bool, teamID: UUID?, invitationScope: UUID?, now: Date) {
        self.organisationID = organisationID
        self.personID = personID
        self.organisationWide = organisationWide
        self.teamID = teamID
        self.invitationScope = invitationScope
        self.now = now
    }
}

/// Lists of discussions as indexed SQL: visibility (team or authority, invitations and grants
/// as subqueries joined in the database, never an `IN` of every id loaded first), optional
/// filters, a page, and the narrow row above.
public struct DiscussionList: Sendable {
    public var scope: DiscussionListScope
    public var stages: [DiscussionStage]?
    /// Only the authority's own (not those of another authority the person was invited to).
    public var organisation: UUID?
    /// Only the team's (for an authority-wide person choosing one team).
    public var team: UUID?
    /// Only meetings starting from this time.
    public var slotFrom: Date?
    public enum Order: Sendable { case deadline, slot, latestRequest }
    /// Soonest deadline first (then reference), soonest meeting first, or the latest request first.
    public var order = Order.deadline
    /// Those in `stages` or with a deadline still running (the team page's default: open ones,
    /// and circulated ones while a follow-up is due).
    public var stagesOrDeadline = false
    /// Only those with a next deadline (true) or without one (false): the parts of a list in
    /// stages or with a deadline (`parts`).
    var dueKnown: Bool?
    public var chairID: UUID?
    public var minuteTakerID: UUID?
    public var requestedBy: UUID?
    /// Only those the person is invited to (whatever else they may see).
    public var invitedOnly = false
    /// Only these discussions.
    public var ids: [UUID]?
    /// Only meetings starting before this time.
    public var slotBefore: Date?
    /// Only those a search finds (issue 14): by a child's name or date of birth, the case
    /// number or the discussion's reference.
    public var matching: DiscussionSearch?

    public init(scope: DiscussionListScope) {
        self.scope = scope
    }

    public func count(on db: any Database) async throws -> Int {
        let sql = try Self.sql(db)
        struct Count: Decodable { let n: Int }
        if let ways = ways(sql) {
            // The first way's own count (from its index), and the others' discussions outside it
            // each once: no set of every id the person may see is built to count them.
            let queries = ways.map { $0.query(true) }
            guard !queries.isEmpty, !queries.contains(where: { $0 == nil }) else { return 0 }
            let all = queries.compactMap { $0 }
            var counts: [SQLQueryString] = []
            var others = all
            if ways[0].isOwn {
                counts.append("(SELECT COUNT(*) FROM (\(all[0].select)) AS own)")
                others = Array(all.dropFirst())
            }
            let members = others.map { query -> SQLQueryString in "\(query.select)" }
            if !members.isEmpty {
                // DISTINCT as well as UNION: a lone way (invited only) counts a discussion once
                // even where a row edited in the database invites the person twice.
                let union = members.dropFirst().reduce(members[0]) { $0 + " UNION " + $1 }
                counts.append("(SELECT COUNT(DISTINCT \(ident: "id")) FROM (" + union + ") AS others)")
            }
            return try await Self.total(counts, on: sql)
        }
        if let parts {
            // Each part counted from its index; the parts are disjoint.
            var counts: [SQLQueryString] = []
            for part in parts {
                let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all)).from(Self.table(part.index, sql))
                guard part.list.filter(query) else { continue }
                counts.append("(\(query.select))")
            }
            return try await Self.total(counts, on: sql)
        }
        let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Discussion.schema)
        guard filter(query) else { return 0 }
        return try await query.first(decoding: Count.self)?.n ?? 0
    }

    /// The rows in `range` of the list in its order (by next deadline, then reference, unless
    /// asked otherwise).
    public func rows(_ range: Range<Int>, on db: any Database) async throws -> [DiscussionRow] {
        guard let query = try rowsQuery(range, on: db) else { return [] }
        return try await Self.sql(db).raw(query).all(decoding: DiscussionRow.self)
    }

    func rowsQuery(_ range: Range<Int>, on db: any Database) throws -> SQLQueryString? {
        let sql = try Self.sql(db)
        guard !range.isEmpty else { return nil }
        if let ways = ways(sql) {
            // A page of each way in the list's order (read from its index), merged: what is
            // read grows with the page, not with what the person may see (issue 12).
            var members: [SQLQueryString] = []
            for (n, way) in ways.enumerated() {
                guard let query = way.query(false) else { return nil }
                order(query, invitations: way.throughInvitations)
                query.limit(range.upperBound)
                // DISTINCT: a lone way lists a discussion once even if invited to it twice.
                members.append("SELECT DISTINCT * FROM (\(query.select)) AS \(ident: "way\(n)")")
            }
            return merged(members, distinct: true, range)
        }
        if let parts {
            // Each part in deadline order from its index (migration 012), merged; the parts are
            // disjoint, so nothing is listed twice.
            var members: [SQLQueryString] = []
            for (n, part) in parts.enumerated() {
                let query = sql.select().columns(Self.columns).from(Self.table(part.index, sql))
                guard part.list.filter(query) else { continue }
                order(query, invitations: false)
                query.limit(range.upperBound)
                members.append("SELECT * FROM (\(query.select)) AS \(ident: "part\(n)")")
            }
            return merged(members, distinct: false, range)
        }
        let query = sql.select().columns(Self.columns).from(Discussion.schema)
        guard filter(query) else { return nil }
        order(query, invitations: false)
        query.limit(range.count).offset(range.lowerBound)
        return "\(query.select)"
    }

    /// A list in given stages by deadline, as disjoint parts each read in deadline order from an
    /// index (issue 12, migration 012): a stage at a time from the index led by what the list is
    /// kept to (the person it is chaired, minuted or requested by, else its team, else its
    /// authority: each an equality the filters always add), then the stage and deadline. A list
    /// of those in the stages *or with a deadline* (the team page) is the discussions with a
    /// deadline, from the list's own index entered past those without one, and a stage at a time
    /// those without. Otherwise such a list walks the team's or authority's list by deadline
    /// until enough turn up: at 100,000 discussions, thousands of entries on every visit. Nil
    /// for any other list (a search and given ids have better ways in).
    private var parts: [(list: DiscussionList, index: String?)]? {
        guard order == .deadline, matching == nil, ids == nil, dueKnown == nil, let stages, !stages.isEmpty else { return nil }
        let leading = chairID != nil ? ["chair_id"] : minuteTakerID != nil ? ["minute_taker_id"]
            : requestedBy != nil ? ["requested_by"] : team != nil ? ["organisation_id", "team_id"]
            : organisation != nil ? ["organisation_id"] : nil
        guard let index = AddStageListIndexes.indexes.first(where: { $0.leading == leading })?.name else { return nil }
        var parts: [(list: DiscussionList, index: String?)] = []
        if stagesOrDeadline {
            var known = self
            known.stages = nil
            known.stagesOrDeadline = false
            known.dueKnown = true
            parts.append((known, nil))
        }
        var distinct: [DiscussionStage] = []
        for stage in stages where !distinct.contains(stage) { distinct.append(stage) }
        for stage in distinct {
            var one = self
            one.stages = [stage]
            one.stagesOrDeadline = false
            if stagesOrDeadline { one.dueKnown = false }
            parts.append((one, index))
        }
        return parts
    }

    /// Pages merged into the list's page: `UNION` (rows seen several ways listed once) or
    /// `UNION ALL` (disjoint parts), in the list's order.
    private func merged(_ members: [SQLQueryString], distinct: Bool, _ range: Range<Int>) -> SQLQueryString? {
        guard let first = members.first else { return nil }
        let union = members.dropFirst().reduce(first) { $0 + (distinct ? " UNION " : " UNION ALL ") + $1 }
        return union + " ORDER BY " + outerOrder + " LIMIT \(literal: range.count) OFFSET \(literal: range.lowerBound)"
    }

    /// The sum of these counts (each a scalar subquery), as one statement.
    private static func total(_ counts: [SQLQueryString], on sql: any SQLDatabase) async throws -> Int {
        guard let first = counts.first else { return 0 }
        struct Count: Decodable { let n: Int }
        let sum = counts.dropFirst().reduce(first) { $0 + " + " + $1 }
        return try await sql.raw("SELECT " + sum + " AS n").first(decoding: Count.self)?.n ?? 0
    }

    /// The discussions table, on SQLite read through this index: on a small table SQLite would
    /// rather walk a covering list index, and that is the walk the index is there to avoid.
    private static func table(_ index: String?, _ sql: any SQLDatabase) -> any SQLExpression {
        guard let index, sql.dialect.name == "sqlite" else { return SQLIdentifier(Discussion.schema) }
        return SQLQueryString("\(ident: Discussion.schema) INDEXED BY \(ident: index)")
    }

    /// The list's columns, each of the discussions table.
    static let columns: [any SQLExpression] = DiscussionRow.CodingKeys.allCases.map { SQLColumn($0.rawValue, table: Discussion.schema) }

    private func order(_ query: SQLSelectBuilder, invitations: Bool) {
        // Through invitations, their own copies of the order's columns (`InvitationMirror`), so
        // that the invitations are read in order from their index.
        let table = invitations ? "i" : Discussion.schema
        switch order {
        case .deadline: query.orderBy(SQLColumn("next_due", table: table)).orderBy(SQLColumn("reference", table: table))
        case .slot: query.orderBy(SQLColumn("slot_start", table: table)).orderBy(SQLColumn("reference", table: table))
        case .latestRequest:
            query.orderBy(SQLColumn("requested_at", table: Discussion.schema), SQLDirection.descending)
                .orderBy(SQLColumn("reference", table: Discussion.schema))
        }
    }

    private var outerOrder: SQLQueryString {
        switch order {
        case .deadline: "\(ident: "next_due"), \(ident: "reference")"
        case .slot: "\(ident: "slot_start"), \(ident: "reference")"
        case .latestRequest: "\(ident: "requested_at") DESC, \(ident: "reference")"
        }
    }

    /// One way of seeing discussions, as a query (`countOnly`: selecting the id alone, and for
    /// the ways after the person's own, only discussions outside it).
    private struct Way {
        var throughInvitations = false
        var isOwn = false
        let query: (_ countOnly: Bool) -> SQLSelectBuilder?
    }

    /// The ways the person sees discussions, each a query of its own with the filters applied
    /// (`countOnly`: selecting the id alone), when the list is read way by way: their team's or
    /// authority's; those they were invited to outside it (the invitations' copy of each
    /// discussion's team says which, `InvitationMirror`); those under a current access grant.
    /// Nil when one query says it better: a personal-link session, a search, a list of given
    /// discussions, or a list the filters already keep within the person's team or authority.
    private func ways(_ sql: any SQLDatabase) -> [Way]? {
        let scope = self.scope
        guard scope.invitationScope == nil, matching == nil, ids == nil else { return nil }
        if !invitedOnly && implied { return nil }
        let discussions = Discussion.schema
        func select(_ countOnly: Bool) -> SQLSelectBuilder {
            countOnly ? sql.select().column(SQLColumn("id", table: discussions)) : sql.select().columns(Self.columns)
        }
        let team = scope.organisationWide ? nil : scope.teamID
        let own: (any SQLExpression)? = scope.organisationWide || team != nil
            ? SQLBinaryExpression(SQLColumn("organisation_id", table: discussions), .equal, bound(scope.organisationID)) : nil
        // Found by id, each discussion is read from the list index that leads with its id, not
        // from its row (SQLite prefers the primary key otherwise; PostgreSQL plans its own way).
        let byID = Self.table("discussions_id_list", sql)
        // Outside the first way, by the discussion's own columns.
        let organisationID = scope.organisationID
        let notOwn: SQLQueryString? = own.map { _ in
            guard let team else { return "\(ident: discussions).\(ident: "organisation_id") <> \(bind: organisationID)" }
            return "NOT (\(ident: discussions).\(ident: "organisation_id") = \(bind: organisationID) AND \(ident: discussions).\(ident: "team_id") = \(bind: team))"
        }
        let invited = Way(throughInvitations: true) { countOnly in
            let query = select(countOnly).from(SQLAlias(SQLIdentifier(Invitation.schema), as: SQLIdentifier("i")))
                .join(byID, method: SQLJoinMethod.inner, on: SQLColumn("id", table: discussions), .equal, SQLColumn("discussion_id", table: "i"))
                .where(SQLColumn("person_id", table: "i"), .equal, bound(scope.personID))
            // The meeting times again on the invitations' copies, so that their index starts there.
            if let slotFrom { query.where(SQLColumn("slot_start", table: "i"), .greaterThanOrEqual, bound(slotFrom)) }
            if let slotBefore { query.where(SQLColumn("slot_start", table: "i"), .lessThan, bound(slotBefore)) }
            if countOnly, let notOwn { query.where(notOwn) }
            if !invitedOnly, own != nil {
                // Not those the first way lists already (an invitation whose copy is missing is kept).
                query.where(group: { outside in
                    outside.where(SQLColumn("team_id", table: "i"), .is, SQLLiteral.null)
                        .orWhere(SQLColumn("organisation_id", table: "i"), .notEqual, bound(scope.organisationID))
                    if let team { outside.orWhere(SQLColumn("team_id", table: "i"), .notEqual, bound(team)) }
                    return outside
                })
            }
            return filter(query, visibility: false) ? query : nil
        }
        if invitedOnly { return [invited] }
        var ways: [Way] = []
        if let own {
            ways.append(Way(isOwn: true) { countOnly in
                let query = select(countOnly).from(discussions).where(own)
                if let team { query.where(SQLColumn("team_id", table: discussions), .equal, bound(team)) }
                return filter(query, visibility: false) ? query : nil
            })
        }
        ways.append(invited)
        ways.append(Way { countOnly in
            let query = select(countOnly).from(byID).where(SQLColumn("id", table: discussions), .in, grantedSubquery)
            if countOnly, let notOwn { query.where(notOwn) }
            return filter(query, visibility: false) ? query : nil
        })
        return ways
    }

    /// Within the person's own authority (or team), the filters already say all the policy would.
    private var implied: Bool {
        organisation == scope.organisationID && (scope.organisationWide || (team != nil && team == scope.teamID))
    }

    private var grantedSubquery: any SQLExpression {
        let scope = self.scope
        return SQLSubquery.select { $0.column("discussion_id").from(AccessGrant.schema)
            .where("person_id", .equal, bound(scope.personID)).where("starts_at", .lessThanOrEqual, bound(scope.now))
            .where("expires_at", .greaterThan, bound(scope.now)) }
    }

    /// How SQLite answers `rows` (`EXPLAIN QUERY PLAN`, one line per step); empty on PostgreSQL.
    /// The tests use it to check that lists are read from the covering indexes (migration 009).
    public func queryPlan(_ range: Range<Int>, on db: any Database) async throws -> [String] {
        let sql = try Self.sql(db)
        guard sql.dialect.name == "sqlite", let query = try rowsQuery(range, on: db) else { return [] }
        struct Step: Decodable { let detail: String }
        return try await sql.raw("EXPLAIN QUERY PLAN " + query).all(decoding: Step.self).map(\.detail)
    }

    static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw BulkInsertError.notSQL }
        return sql
    }

    /// Adds the visibility (unless a way already says it) and filters; false when the person
    /// can list nothing at all. Every column is the discussions table's (a way may join the
    /// invitations).
    ///
    /// Visibility is spelt twice on purpose, once per shape of query: here as one condition
    /// (team or authority, or invited, or granted) for the lists `ways()` declines (a personal
    /// link, a search, given ids, a list kept within the team), where one query is cheapest;
    /// and in `ways()` as one query per way, so that each is read in order from its own index.
    /// ListWaysTests checks that both list the same discussions.
    func filter(_ query: SQLSelectBuilder, visibility: Bool = true) -> Bool {
        let scope = self.scope
        let table = Discussion.schema
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: table) }
        if !visibility {
            // The way says who sees it.
        } else if let invitation = scope.invitationScope {
            query.where(column("id"), .in, SQLSubquery.select { $0.column("discussion_id").from(Invitation.schema)
                .where("id", .equal, bound(invitation)) })
        } else {
            let invitedSubquery = SQLSubquery.select { $0.column("discussion_id").from(Invitation.schema)
                .where("person_id", .equal, bound(scope.personID)) }
            if invitedOnly {
                query.where(column("id"), .in, invitedSubquery)
            } else if !implied {
                query.where(group: { visible in
                    if scope.organisationWide {
                        visible.orWhere(column("organisation_id"), .equal, bound(scope.organisationID))
                    } else if let team = scope.teamID {
                        visible.orWhere(group: { $0.where(column("organisation_id"), .equal, bound(scope.organisationID))
                            .where(column("team_id"), .equal, bound(team)) })
                    }
                    return visible.orWhere(column("id"), .in, invitedSubquery).orWhere(column("id"), .in, grantedSubquery)
                })
            }
        }
        if let stages {
            guard !stages.isEmpty else { return false }
            let inStages = SQLBinaryExpression(column("stage"), .in, SQLGroupExpression(stages.map { bound($0) }))
            if stagesOrDeadline {
                query.where(group: { $0.where(inStages).orWhere(column("next_due"), .isNot, SQLLiteral.null) })
            } else {
                query.where(inStages)
            }
        }
        if let dueKnown { query.where(column("next_due"), dueKnown ? .isNot : .is, SQLLiteral.null) }
        if let organisation { query.where(column("organisation_id"), .equal, bound(organisation)) }
        if let team {
            query.where(column("organisation_id"), .equal, bound(scope.organisationID)).where(column("team_id"), .equal, bound(team))
        }
        if let slotFrom { query.where(column("slot_start"), .greaterThanOrEqual, bound(slotFrom)) }
        if let slotBefore { query.where(column("slot_start"), .lessThan, bound(slotBefore)) }
        if let matching { query.where(matching.condition) }
        if let chairID { query.where(column("chair_id"), .equal, bound(chairID)) }
        if let minuteTakerID { query.where(column("minute_taker_id"), .equal, bound(minuteTakerID)) }
        if let requestedBy { query.where(column("requested_by"), .equal, bound(requestedBy)) }
        if let ids {
            guard !ids.isEmpty else { return false }
            query.where(column("id"), .in, SQLGroupExpression(ids.map { bound($0) }))
        }
        return true
    }
}

extension DiscussionSearch {
    /// The search as a condition on discussions: a child of the case born on the day, or the
    /// text (with `%` and `_` taken literally) in a child's name, the case number or the
    /// discussion's reference.
    var condition: SQLQueryString {
        switch self {
        case .dateOfBirth(let day):
            return "\(ident: "case_id") IN (SELECT \(ident: "case_id") FROM \(ident: CaseChild.schema) WHERE \(ident: "date_of_birth") = \(bind: day.description))"
        case .text(let text):
            let escaped = text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            let pattern = "%" + escaped + "%"
            return """
                (lower(\(ident: "reference")) LIKE \(bind: pattern) ESCAPE '\\' \
                OR \(ident: "case_id") IN (SELECT \(ident: "id") FROM \(ident: Case.schema) WHERE lower(\(ident: "reference")) LIKE \(bind: pattern) ESCAPE '\\') \
                OR \(ident: "case_id") IN (SELECT \(ident: "case_id") FROM \(ident: CaseChild.schema) WHERE \(ident: "search_name") LIKE \(bind: pattern) ESCAPE '\\'))
                """
        }
    }
}
