import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// What a performance view asks for (issue 13), as typed into its filter form or a link's
/// query: the period (a whole week, month or quarter before today, or custom dates), a team
/// (service managers only), a procedure (where the authority's discussions ran under more than
/// one) and an urgency. Raw text, checked by `resolve`, so each problem
/// names its field.
public struct PerformanceQuery: Sendable, Hashable {
    public var period: String?
    public var from: String?
    public var to: String?
    public var team: String?
    public var procedure: String?
    public var urgency: String?

    public init(period: String? = nil, from: String? = nil, to: String? = nil, team: String? = nil, procedure: String? = nil,
                urgency: String? = nil) {
        self.period = period
        self.from = from
        self.to = to
        self.team = team
        self.procedure = procedure
        self.urgency = urgency
    }

    /// The longest custom period: the facts are read for it at once.
    public static let longestCustomDays = 3 * 366

    /// The query as link parameters (empty values left out), for drill-downs and exports.
    public var parameters: [(String, String)] {
        [("period", period), ("from", from), ("to", to), ("team", team), ("procedure", procedure), ("urgency", urgency)]
            .compactMap { name, value in value.flatMap { $0.trimmed.isEmpty ? nil : (name, $0.trimmed) } }
    }
}

extension Operations {
    /// The performance view (issue 13, OVS-ALL-01) of the person's own scope: a team
    /// manager's team, a service manager's authority (or one team of it), a partner agency
    /// member their agency's attendance and actions.
    public struct Performance: Sendable {
        /// The authority's figures (a service manager), not one team's.
        public let organisationWide: Bool
        /// The team shown (nil: the authority).
        public let team: Team?
        /// A partner agency's own view: its attendance and actions only.
        public let agency: String?
        public let figures: OversightFigures
        /// The query as resolved (what the filter form shows).
        public let query: PerformanceQuery
        /// The teams a service manager may choose between (empty for anyone else).
        public let teams: [Team]
        /// The procedures the authority's discussions ran under, to choose between where there is
        /// more than one (an authority that moved to a new procedure): id and name.
        public let procedures: [(id: String, name: String)]
        /// The procedure chosen (nil: all of them).
        public var procedure: (id: String, name: String)? {
            figures.filter.packID.map { id in procedures.first { $0.id == id } ?? (id, id) }
        }
    }

    /// The figures of the chosen period from the stored facts, compared with the period
    /// before, with the weekly trend. Without a period: the last whole calendar month
    /// (Europe/London).
    /// `trend: false` leaves the weekly trend empty (a drill-down shows none).
    public static func performance(_ ctx: LifecycleContext, _ query: PerformanceQuery = .init(),
                                   trend withTrend: Bool = true) async throws -> Performance {
        let user = try ctx.requireUser()
        guard user.may(.viewPerformance) else { throw LifecycleError.notAllowed() }
        let today = EuropeLondon.localDate(of: ctx.now)
        var checks = FieldChecks()
        let kindText = query.period?.trimmed ?? ""
        let kind = kindText.isEmpty ? .month : OversightPeriod.Kind(rawValue: kindText)
        checks.check(kind != nil, "period", "Choose a week, a month, a quarter or custom dates")
        var period = OversightPeriod.containing(today, kind: kind == .custom || kind == nil ? .month : kind!).previous
        if kind == .custom {
            let from = day(query.from, "from", "the first day", &checks)
            let to = day(query.to, "to", "the last day", &checks)
            if let from, let to {
                checks.check(from <= to, "to", "The last day must be on or after the first day")
                checks.check(to <= today, "to", "The last day must be today or earlier")
                checks.check(to.dayNumber - from.dayNumber < PerformanceQuery.longestCustomDays, "from",
                             "Choose a period of at most three years")
                period = OversightPeriod(kind: .custom, first: from, last: to)
            }
        }
        let organisationWide = user.role == .serviceManager
        let agency: String? = user.role == .partnerAgency ? user.agency : nil
        var teamID: UUID? = organisationWide || agency != nil ? nil : user.teamID
        if !organisationWide && agency == nil && teamID == nil { throw LifecycleError.notAllowed() }
        var teams: [Team] = []
        if organisationWide {
            teams = try await Operations.teams(ctx, organisationID: user.organisationID)
            if let text = query.team?.trimmed, !text.isEmpty {
                let chosen = UUID(uuidString: text).flatMap { id in teams.first { $0.id == id } }
                checks.check(chosen != nil, "team", "Choose one of the authority's teams")
                teamID = chosen?.id
            }
        }
        let procedures = try await OversightFactsStore.packIDs(organisation: user.organisationID, on: ctx.db)
            .map { (id: $0, name: ctx.packs.pack($0)?.name ?? $0) }
        let procedureText = query.procedure?.trimmed ?? ""
        let packID = procedureText.isEmpty ? nil : procedures.first { $0.id == procedureText }?.id
        checks.check(procedureText.isEmpty || packID != nil, "procedure", "Choose one of the authority's procedures")
        let urgencyText = query.urgency?.trimmed ?? ""
        let urgency = urgencyText.isEmpty ? nil : Urgency(rawValue: urgencyText)
        checks.check(urgencyText.isEmpty || urgency != nil, "urgency", "Choose immediate, standard or other")
        try checks.finish()

        // A duty is counted in the period of its own date, which may come long after the
        // request: the window reaches back well before the period before this one. The weekly
        // trend over twelve months is read apart, from scalar columns.
        let (chosenTeam, chosenPeriod) = (teamID, period)
        async let facts = OversightFactsStore.facts(organisation: user.organisationID, team: chosenTeam, packID: packID,
                                                    urgency: urgency, requestedFrom: Self.factsWindowStart(chosenPeriod),
                                                    to: chosenPeriod.end, on: ctx.db)
        let weeks = period.trendWeeks
        async let held: [HeldConvening] = !withTrend || weeks.isEmpty ? []
            : OversightFactsStore.held(organisation: user.organisationID, team: chosenTeam, packID: packID, urgency: urgency,
                                       from: weeks[0].start, to: weeks[weeks.count - 1].end, asOf: ctx.now, on: ctx.db)
        var team: Team?
        if let teamID {
            team = teams.first { $0.id == teamID }
            if team == nil { team = try await Team.find(teamID, on: ctx.db) }
        }
        var resolved = query
        // The default (the last whole month) is left out of links.
        resolved.period = kind == .month || kind == nil ? nil : kind!.rawValue
        resolved.team = organisationWide ? teamID?.uuidString : nil
        resolved.procedure = packID
        resolved.urgency = urgency?.rawValue
        if kind != .custom {
            resolved.from = nil
            resolved.to = nil
        }
        return Performance(organisationWide: organisationWide && teamID == nil, team: team, agency: agency,
                           figures: OversightFigures(facts: try await facts, period: period,
                                                     filter: OversightFilter(team: teamID, packID: packID, urgency: urgency,
                                                                             agency: agency),
                                                     asOf: ctx.now, trend: try await held),
                           query: resolved, teams: teams, procedures: procedures)
    }

    /// Where the facts a view reads begin: half a year before the period before the one shown
    /// (a duty is counted in the period of the event its deadline counts from, which may come
    /// months after the request).
    static func factsWindowStart(_ period: OversightPeriod) -> Date {
        period.previous.start.addingTimeInterval(-183 * 86_400)
    }

    private static func day(_ text: String?, _ field: FieldPath, _ name: String, _ checks: inout FieldChecks) -> LocalDate? {
        let text = text?.trimmed ?? ""
        guard !text.isEmpty else {
            checks.fail(field, "Enter \(name) of the period")
            return nil
        }
        guard let date = LocalDate(text), date.description == text, date.year >= 2000 else {
            checks.fail(field, "Enter \(name) as a real date, for example 2026-03-31")
            return nil
        }
        return date
    }

    /// The discussions behind one figure of the performance view, listed under the person's
    /// own visibility (DiscussionList), a page at a time. nil: no such figure.
    public static func performanceDiscussions(_ ctx: LifecycleContext, _ query: PerformanceQuery = .init(), measure key: String,
                                              page window: ListPage) async throws
        -> (performance: Performance, measure: Measure, rows: [DiscussionRow], total: Int)?
    {
        let performance = try await performance(ctx, query, trend: false)
        guard let measure = performance.figures.measure(key) else { return nil }
        let user = try ctx.requireUser()
        var list = DiscussionList(scope: user.discussionListScope(now: ctx.now))
        list.organisation = user.organisationID
        list.ids = measure.discussions
        async let counted = list.count(on: ctx.db)
        let rows = try await list.rows(window.range, on: ctx.db)
        return (performance, measure, rows, try await counted)
    }

    /// The exports of the performance view (issue 13).
    public enum PerformanceExportKind: String, CaseIterable, Sendable {
        /// One row per discussion and duty, with its timeliness.
        case discussions
        /// One row per SMART action or safety-plan item.
        case actions
        /// The inspection list (Ofsted ILACS Annex A: section 47 enquiries and ICPCs).
        case inspection

        public var title: String {
            switch self {
            case .discussions: "Discussions and their timeliness"
            case .actions: "Actions"
            case .inspection: "Section 47 enquiries and ICPCs (inspection list)"
            }
        }

        /// The inspection list names children's case numbers, ethnicity and disability: the
        /// authority-wide view only (a service manager).
        var needsOrganisation: Bool { self == .inspection }
    }

    /// One export of the performance view's period and filters, as rows of text (a header
    /// row first), counted under the same rules as the view, and audited.
    public static func performanceExport(_ ctx: LifecycleContext, _ query: PerformanceQuery, kind: PerformanceExportKind)
        async throws -> (performance: Performance, rows: [[String]])
    {
        let user = try ctx.requireUser()
        guard user.may(.exportPerformance) else { throw LifecycleError.notAllowed() }
        if kind.needsOrganisation && user.role != .serviceManager {
            throw LifecycleError.notAllowed("Only a service manager may export the inspection list.")
        }
        let performance = try await performance(ctx, query, trend: false)
        let figures = performance.figures
        let period = figures.period
        // The discussions the view counts in this period: requested, decided, held or owing
        // a duty or an action in it.
        let facts = try await OversightFactsStore.facts(organisation: user.organisationID, team: figures.filter.team,
                                                        packID: figures.filter.packID, urgency: figures.filter.urgency,
                                                        requestedFrom: period.start.addingTimeInterval(-183 * 86_400),
                                                        to: period.end, on: ctx.db)
            .filter { figures.filter.matches($0) && $0.touches(period) }
            .sorted { ($0.requestedAt, $0.reference) < ($1.requestedAt, $1.reference) }
        var teams = performance.teams
        if teams.isEmpty { teams = try await Operations.teams(ctx, organisationID: user.organisationID) }
        let names = Dictionary(teams.compactMap { t in t.id.map { ($0, t.name) } }, uniquingKeysWith: { a, _ in a })
        func teamName(_ id: UUID) -> String { names[id] ?? "" }
        let rows: [[String]]
        var childIDs: [UUID] = []
        switch kind {
        case .discussions:
            rows = OversightExport.duties(facts, teamName: teamName, asOf: ctx.now)
        case .actions:
            rows = OversightExport.actions(facts, teamName: teamName, asOf: ctx.now)
        case .inspection:
            let held = facts.filter { $0.heldAt.map(period.contains) ?? false }
            let children = try await CaseChild.query(on: ctx.db).filter(\.$id ~~ held.flatMap { $0.outcomes.map(\.childID) }).all()
            childIDs = children.compactMap(\.id)
            let details = Dictionary(children.compactMap { c in c.id.map { ($0, c.details) } }, uniquingKeysWith: { a, _ in a })
            rows = OversightExport.inspection(held, children: details)
        }
        try await ctx.db.audit([AuditRecord("export", "performance", childIDs: childIDs,
                                             detail: "\(kind.rawValue) for \(period.label)"
                                                 + (figures.filter.team.map { ", team \(teamName($0))" } ?? "")
                                                 + (performance.procedure.map { ", \($0.name)" } ?? "")
                                                 + (figures.filter.urgency.map { ", \($0.rawValue)" } ?? "")
                                                 + ", \(rows.count - 1) rows")],
                               by: ctx.actor, now: ctx.now)
        return (performance, rows)
    }
}
