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
        let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Discussion.schema)
        guard filter(query) else { return 0 }
        struct Count: Decodable { let n: Int }
        return try await query.first(decoding: Count.self)?.n ?? 0
    }

    /// The rows in `range` of the list sorted by next deadline, then reference.
    public func rows(_ range: Range<Int>, on db: any Database) async throws -> [DiscussionRow] {
        guard let query = try rowsQuery(range, on: db) else { return [] }
        return try await query.all(decoding: DiscussionRow.self)
    }

    func rowsQuery(_ range: Range<Int>, on db: any Database) throws -> SQLSelectBuilder? {
        let sql = try Self.sql(db)
        let query = sql.select().columns(DiscussionRow.CodingKeys.allCases.map { SQLColumn($0.rawValue) }).from(Discussion.schema)
        guard filter(query) else { return nil }
        switch order {
        case .deadline: query.orderBy("next_due").orderBy("reference")
        case .slot: query.orderBy("slot_start").orderBy("reference")
        case .latestRequest: query.orderBy("requested_at", .descending).orderBy("reference")
        }
        query.limit(range.count).offset(range.lowerBound)
        return query
    }

    /// How SQLite answers `rows` (`EXPLAIN QUERY PLAN`, one line per step); empty on PostgreSQL.
    /// The tests use it to check that lists are read from the covering indexes (migration 009).
    public func queryPlan(_ range: Range<Int>, on db: any Database) async throws -> [String] {
        let sql = try Self.sql(db)
        guard sql.dialect.name == "sqlite", let query = try rowsQuery(range, on: db) else { return [] }
        struct Step: Decodable { let detail: String }
        return try await sql.raw("EXPLAIN QUERY PLAN \(query.select)").all(decoding: Step.self).map(\.detail)
    }

    static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw BulkInsertError.notSQL }
        return sql
    }

    /// Adds the visibility and filters; false when the person can list nothing at all.
    func filter(_ query: SQLSelectBuilder) -> Bool {
        let scope = self.scope
        if let invitation = scope.invitationScope {
            query.where(SQLColumn("id"), .in, SQLSubquery.select { $0.column("discussion_id").from(Invitation.schema)
                .where("id", .equal, bound(invitation)) })
        } else {
            let invitedSubquery = SQLSubquery.select { $0.column("discussion_id").from(Invitation.schema)
                .where("person_id", .equal, bound(scope.personID)) }
            let grantedSubquery = SQLSubquery.select { $0.column("discussion_id").from(AccessGrant.schema)
                .where("person_id", .equal, bound(scope.personID)).where("starts_at", .lessThanOrEqual, bound(scope.now))
                .where("expires_at", .greaterThan, bound(scope.now)) }
            // Within the person's own authority (or team) the filters below already say all the
            // policy would: no OR for the planner to work around.
            let implied = organisation == scope.organisationID
                && (scope.organisationWide || (team != nil && team == scope.teamID))
            if invitedOnly {
                query.where(SQLColumn("id"), .in, invitedSubquery)
            } else if !implied {
                query.where(group: { visible in
                    if scope.organisationWide {
                        visible.orWhere("organisation_id", .equal, bound(scope.organisationID))
                    } else if let team = scope.teamID {
                        visible.orWhere(group: { $0.where("organisation_id", .equal, bound(scope.organisationID))
                            .where("team_id", .equal, bound(team)) })
                    }
                    return visible.orWhere(SQLColumn("id"), .in, invitedSubquery).orWhere(SQLColumn("id"), .in, grantedSubquery)
                })
            }
        }
        if let stages {
            guard !stages.isEmpty else { return false }
            let inStages = SQLBinaryExpression(SQLColumn("stage"), .in, SQLGroupExpression(stages.map { bound($0) }))
            if stagesOrDeadline {
                query.where(group: { $0.where(inStages).orWhere(SQLColumn("next_due"), .isNot, SQLLiteral.null) })
            } else {
                query.where(inStages)
            }
        }
        if let organisation { query.where("organisation_id", .equal, bound(organisation)) }
        if let team { query.where("organisation_id", .equal, bound(scope.organisationID)).where("team_id", .equal, bound(team)) }
        if let slotFrom { query.where("slot_start", .greaterThanOrEqual, bound(slotFrom)) }
        if let slotBefore { query.where("slot_start", .lessThan, bound(slotBefore)) }
        if let matching { query.where(matching.condition) }
        if let chairID { query.where("chair_id", .equal, bound(chairID)) }
        if let minuteTakerID { query.where("minute_taker_id", .equal, bound(minuteTakerID)) }
        if let requestedBy { query.where("requested_by", .equal, bound(requestedBy)) }
        if let ids {
            guard !ids.isEmpty else { return false }
            query.where("id", .in, SQLGroupExpression(ids.map { bound($0) }))
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
