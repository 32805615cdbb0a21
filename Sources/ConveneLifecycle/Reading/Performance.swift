import ConveneCore
import ConveneStore
import FluentKit
import Foundation

extension Operations {
    /// The performance view (issue 13, OVS-ALL-01) of the person's own scope: a team
    /// manager's team, a service manager's authority.
    public struct Performance: Sendable {
        /// The authority's figures (a service manager), not one team's.
        public let organisationWide: Bool
        /// The team shown (nil: the authority).
        public let team: Team?
        public let figures: OversightFigures
    }

    /// The figures for the last whole calendar month (Europe/London) from the stored facts,
    /// compared with the month before, with the weekly trend.
    public static func performance(_ ctx: LifecycleContext) async throws -> Performance {
        let user = try ctx.requireUser()
        guard user.may(.viewPerformance) else { throw LifecycleError.notAllowed() }
        let organisationWide = user.role == .serviceManager
        let teamID = organisationWide ? nil : user.teamID
        if !organisationWide && teamID == nil { throw LifecycleError.notAllowed() }
        let today = EuropeLondon.localDate(of: ctx.now)
        let period = OversightPeriod.containing(today, kind: .month).previous
        // A duty is counted in the period of its own date, which may come long after the
        // request: the window reaches back well before the trend's first week.
        let from = (period.trendWeeks.first?.start ?? period.previous.start).addingTimeInterval(-183 * 86_400)
        let facts = try await OversightFactsStore.facts(organisation: user.organisationID, team: teamID, requestedFrom: from,
                                                        to: period.end, on: ctx.db)
        var team: Team?
        if let teamID { team = try await Team.find(teamID, on: ctx.db) }
        return Performance(organisationWide: organisationWide, team: team,
                           figures: OversightFigures(facts: facts, period: period, filter: OversightFilter(team: teamID),
                                                     asOf: ctx.now))
    }

    /// The discussions behind one figure of the performance view, listed under the person's
    /// own visibility (DiscussionList), a page at a time. nil: no such figure.
    public static func performanceDiscussions(_ ctx: LifecycleContext, measure key: String, page window: ListPage) async throws
        -> (performance: Performance, measure: Measure, rows: [DiscussionRow], total: Int)?
    {
        let performance = try await performance(ctx)
        guard let measure = performance.figures.measure(key) else { return nil }
        let user = try ctx.requireUser()
        var query = DiscussionList(scope: user.discussionListScope(now: ctx.now))
        query.organisation = user.organisationID
        query.ids = measure.discussions
        async let counted = query.count(on: ctx.db)
        let rows = try await query.rows(window.range, on: ctx.db)
        return (performance, measure, rows, try await counted)
    }
}
