import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// The performance view (issue 13, OVS-ALL-01): the last whole month's figures for a team
/// manager's team or a service manager's authority, each number linking to the discussions
/// behind it, and the weekly trend as a chart with its data table.
enum PerformanceController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("performance", use: show)
        routes.get("performance", ":measure", use: drillDown)
    }

    static let pageSize = 25
    /// Weeks of the trend drawn and tabled.
    static let trendWeeks = 12

    struct Figure: Encodable {
        let label: String
        let count: Int
        let href: String
        /// "75%" of "4", or empty for a plain count.
        let percentage: String
        let base: String
        let previous: String
        let trend: String
    }

    struct Week: Encodable {
        let label: String
        let held: Int
        let onTime: Int
        let decided: Int
    }

    struct Page: Encodable {
        let title: String
        let scope: String
        let period: String
        let previousPeriod: String
        let figures: [Figure]
        let requestToMeeting: String
        let chart: String
        let weeks: [Week]
    }

    static func trendWords(_ trend: Trend) -> String {
        switch trend {
        case .up: "Up"
        case .down: "Down"
        case .same: "No change"
        case .none: "Nothing to compare"
        }
    }

    static func scopeName(_ performance: Operations.Performance) -> String {
        performance.organisationWide ? "The authority" : (performance.team?.name ?? "Your team")
    }

    static func days(_ interval: TimeInterval?) -> String {
        guard let interval else { return "–" }
        let days = interval / 86_400
        return String(format: "%.1f days", days)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let performance = try await Operations.performance(req.lifecycle)
        let figures = performance.figures
        let rows = figures.measures.map { m in
            Figure(label: m.label, count: m.count, href: SiteURL.performanceMeasure(m.key).path,
                   percentage: m.percentage.map { "\($0)%" } ?? "", base: m.base.map { "\($0)" } ?? "",
                   previous: m.base == nil ? "\(m.previousCount)" : (m.previousPercentage.map { "\($0)%" } ?? "–"),
                   trend: trendWords(m.trend))
        }
        let weeks = figures.weeks.suffix(trendWeeks).map { w in
            Week(label: "Week of " + UKDisplay.date(w.week.first), held: w.held, onTime: w.onTime, decided: w.decided)
        }
        let bars = weeks.map { SVGChart.Bar(label: $0.label.replacingOccurrences(of: "Week of ", with: ""), value: $0.held,
                                            highlighted: $0.onTime) }
        let total = weeks.reduce(0) { $0 + $1.held }, onTime = weeks.reduce(0) { $0 + $1.onTime }
        let chart = SVGChart(id: "weekly-trend", title: "Discussions held each week, the last \(trendWeeks) weeks",
                             description: "\(total) discussions held, \(onTime) of them within the timescale. "
                                 + "The table below gives each week's figures.",
                             kind: .columns, bars: bars)
        let page = Page(
            title: "Performance", scope: scopeName(performance), period: figures.period.label,
            previousPeriod: figures.period.previous.label, figures: rows,
            requestToMeeting: "Median \(days(figures.requestToMeeting.median)), 90th percentile "
                + "\(days(figures.requestToMeeting.percentile90)) (\(figures.requestToMeeting.count) discussions held)",
            chart: chart.svg, weeks: weeks)
        return try await req.page("performance", title: "Performance", page)
    }

    struct Row: Encodable {
        let reference: String
        let href: String
        let children: String
        let stage: Display.Tag
    }

    struct DrillDown: Encodable {
        let title: String
        let scope: String
        let period: String
        let count: Int
        let rows: [Row]
        let none: Bool
        let total: Int
        let page: Int
        let pages: Int
        let previous: String
        let next: String
    }

    @Sendable static func drillDown(req: Request) async throws -> Response {
        let key = req.parameters.get("measure") ?? ""
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        guard let found = try await Operations.performanceDiscussions(req.lifecycle, measure: key, page: window) else {
            throw Abort(.notFound)
        }
        let names = try await MyWorkController.childNames(found.rows.map(\.caseID), req, today: EuropeLondon.localDate(of: req.now))
        let pages = window.pages(total: found.total)
        func link(_ n: Int) -> String { SiteURL.performanceMeasure(key).path + "?page=\(n)" }
        let page = DrillDown(
            title: found.measure.label, scope: scopeName(found.performance), period: found.performance.figures.period.label,
            count: found.measure.count,
            rows: found.rows.map { d in
                Row(reference: d.reference, href: SiteURL.discussion(d.id).path, children: names[d.caseID] ?? "",
                    stage: Display.tag(d.stage))
            },
            none: found.rows.isEmpty, total: found.total, page: window.number, pages: pages,
            previous: window.number > 1 ? link(window.number - 1) : "", next: window.number < pages ? link(window.number + 1) : "")
        return try await req.page("performance-discussions", title: found.measure.label, page, backLink: SiteURL.performance.path)
    }
}
