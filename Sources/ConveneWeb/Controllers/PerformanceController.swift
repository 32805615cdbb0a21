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
        routes.get("performance", "export", ":kind", use: export)
        routes.get("performance", ":measure", use: drillDown)
    }

    static let pageSize = 25
    /// Weeks of the trend drawn and tabled: twelve months.
    static let trendWeeks = 52

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

    struct TeamRow: Encodable {
        let name: String
        let held: Int
        let onTime: Int
        let decided: Int
    }

    struct AgencyRow: Encodable {
        let name: String
        let invitedTo: String
        let attended: Int
        let percentage: String
        let apologies: Int
    }

    struct Export: Encodable {
        let label: String
        let href: String
    }

    struct Page: Encodable {
        let title: String
        let scope: String
        let period: String
        let previousPeriod: String
        let previousHeading: String
        let figures: [Figure]
        let requestToMeeting: String
        let chart: String
        let weeks: [Week]
        let teamChart: String
        let teams: [TeamRow]
        let agencyChart: String
        let agencies: [AgencyRow]
        let filters: Filters
        let exports: [Export]
        let hasExports: Bool
        let agencyView: Bool
        /// OVS-001-01, for service managers: each one's months with and without an observation.
        let observationMonths: [String]
        let observers: [Observer]
        let hasObservers: Bool
    }

    struct Observer: Encodable {
        let name: String
        let months: [String]
        let missed: Int
    }

    /// The filter form (GET): period, custom dates, team (service managers) and urgency.
    struct Filters: Encodable {
        let period: ChoiceContext
        let from: FieldContext
        let to: FieldContext
        let team: ChoiceContext
        let showTeam: Bool
        let procedure: ChoiceContext
        let showProcedure: Bool
        let urgency: ChoiceContext
    }

    /// The filters as typed (a link's query string).
    static func query(_ req: Request) -> PerformanceQuery {
        func text(_ name: String) -> String? {
            // A filter is a short word, a date or an id: anything longer is not one of them.
            req.query[String.self, at: name].map { String($0.prefix(64)) }
        }
        return PerformanceQuery(period: text("period"), from: text("from"), to: text("to"), team: text("team"),
                                procedure: text("procedure"), urgency: text("urgency"))
    }

    /// `path` with the query's filters, and `extra` parameters after them.
    static func link(_ path: String, _ query: PerformanceQuery, _ extra: [(String, String)] = []) -> String {
        var components = URLComponents()
        components.path = path
        let items = (query.parameters + extra).map { URLQueryItem(name: $0.0, value: $0.1) }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }

    static func filters(_ performance: Operations.Performance, typed: PerformanceQuery, errors: [InputError]) -> Filters {
        // After a refused filter, the form shows what was typed; otherwise what is shown.
        let shown = errors.isEmpty ? performance.query : typed
        func error(_ name: String) -> String {
            errors.first { $0.field.htmlID == FieldPath(name).htmlID }?.message ?? ""
        }
        func field(_ name: String, _ label: String, _ value: String?, hint: String) -> FieldContext {
            FieldContext(id: FieldPath(name).htmlID, name: name, label: label, hint: hint, value: value ?? "", error: error(name))
                .with(type: "date", width: "10")
        }
        func select(_ name: String, _ legend: String, _ current: String, _ options: [(String, String)]) -> ChoiceContext {
            ChoiceContext(id: FieldPath(name).htmlID, name: name, legend: legend, hint: "",
                          options: options.map { OptionContext(value: $0.0, label: $0.1, hint: "", checked: $0.0 == current) },
                          error: error(name))
        }
        return Filters(
            period: select("period", "Period", shown.period ?? "month",
                           [("week", "The last whole week"), ("month", "The last whole month"),
                            ("quarter", "The last whole quarter"), ("custom", "Dates I choose")]),
            from: field("from", "From", shown.from, hint: "Only for dates you choose, for example 2026-03-01"),
            to: field("to", "To", shown.to, hint: "For example 2026-03-31"),
            team: select("team", "Team", shown.team ?? "",
                         [("", "Every team")] + performance.teams.compactMap { t in t.id.map { ($0.uuidString, t.name) } }),
            showTeam: !performance.teams.isEmpty,
            procedure: select("procedure", "Procedure", shown.procedure ?? "",
                              [("", "Every procedure")] + performance.procedures.map { ($0.id, $0.name) }),
            showProcedure: performance.procedures.count > 1 || shown.procedure?.isEmpty == false,
            urgency: select("urgency", "Urgency", shown.urgency ?? "",
                            [("", "Any urgency"), ("immediate", "Immediate"), ("standard", "Standard"), ("other", "Other")]))
    }

    static func previousHeading(_ kind: OversightPeriod.Kind) -> String {
        switch kind {
        case .week: "Week before"
        case .month: "Month before"
        case .quarter: "Quarter before"
        case .custom: "Period before"
        }
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
        if let agency = performance.agency { return Vocabulary.agencyName(agency) + ": your agency's attendance and actions" }
        let team = performance.organisationWide ? "The authority" : (performance.team?.name ?? "Your team")
        return team + (performance.procedure.map { ", \($0.name)" } ?? "")
            + (performance.figures.filter.urgency.map { ", \($0.rawValue) urgency" } ?? "")
    }

    static func days(_ interval: TimeInterval?) -> String {
        guard let interval else { return "–" }
        let days = interval / 86_400
        return String(format: "%.1f days", days)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let typed = query(req)
        let performance: Operations.Performance
        var errors: [InputError] = []
        do {
            performance = try await Operations.performance(req.lifecycle, typed)
        } catch let failure as ValidationFailure {
            // The figures of the default period stay on the page under the form's errors.
            errors = failure.errors
            performance = try await Operations.performance(req.lifecycle)
        }
        let figures = performance.figures
        let shownQuery = performance.query
        let rows = figures.measures.map { m in
            Figure(label: m.label, count: m.count, href: link(SiteURL.performanceMeasure(m.key).path, shownQuery),
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
        // By team: a service manager's view of the whole authority.
        let teamNames = Dictionary(performance.teams.compactMap { t in t.id.map { ($0, t.name) } }, uniquingKeysWith: { a, _ in a })
        let teamRows = performance.organisationWide
            ? figures.teams.map { TeamRow(name: teamNames[$0.teamID] ?? "Another team", held: $0.held, onTime: $0.onTime,
                                          decided: $0.decided) } : []
        let teamChart = teamRows.isEmpty ? "" : SVGChart(
            id: "by-team", title: "Discussions held by team, \(figures.period.label)",
            description: "For each team, the discussions held and, highlighted, those held within the timescale. The table below gives the figures.",
            kind: .bars, bars: teamRows.map { SVGChart.Bar(label: $0.name, value: $0.held, highlighted: $0.onTime) }).svg
        // By agency: of the discussions held that invited the agency, how many it attended.
        let agencyRows = figures.measures.filter { $0.key.hasPrefix("attended.") }.map { m in
            let agency = String(m.key.dropFirst("attended.".count))
            return AgencyRow(name: Vocabulary.agencyName(agency), invitedTo: m.base.map(String.init) ?? "–", attended: m.count,
                             percentage: m.percentage.map { "\($0)%" } ?? "–",
                             apologies: figures.measure("apologies." + agency)?.count ?? 0)
        }
        let agencyChart = agencyRows.isEmpty ? "" : SVGChart(
            id: "by-agency", title: "Attendance by agency, \(figures.period.label) (percentage of the discussions each was invited to)",
            description: "For each agency, the percentage of the discussions held that invited it which it attended. The table below gives the numbers.",
            kind: .bars,
            bars: figures.measures.filter { $0.key.hasPrefix("attended.") }.map {
                SVGChart.Bar(label: Vocabulary.agencyName(String($0.key.dropFirst("attended.".count))), value: $0.percentage ?? 0)
            }, scale: 100).svg
        let chart = SVGChart(id: "weekly-trend", title: "Discussions held each week, the last twelve months",
                             description: "\(total) discussions held, \(onTime) of them within the timescale. "
                                 + "The table below gives each week's figures.",
                             kind: .columns, bars: bars)
        var exports: [Export] = []
        if let user = req.currentUser, user.may(.exportPerformance) {
            for kind in Operations.PerformanceExportKind.allCases where kind != .inspection || user.role == .serviceManager {
                exports.append(Export(label: kind.title, href: link(SiteURL.performance.path + "/export/" + kind.rawValue, shownQuery)))
            }
        }
        var observationMonths: [String] = []
        var observers: [Observer] = []
        if req.currentUser?.role == .serviceManager {
            let counted = try await Operations.observationMonths(req.lifecycle)
            observationMonths = counted.first?.months.map { UKDisplay.monthName($0.month) + " " + String($0.year) } ?? []
            observers = counted.map { o in
                Observer(name: o.name, months: o.months.map { $0.observed ? "Observed (\($0.observations))" : "None" },
                         missed: o.months.dropLast().filter { !$0.observed }.count)
            }
        }
        let page = Page(
            title: "Performance", scope: scopeName(performance), period: figures.period.label,
            previousPeriod: figures.period.previous.label, previousHeading: previousHeading(figures.period.kind), figures: rows,
            requestToMeeting: "Median \(days(figures.requestToMeeting.median)), 90th percentile "
                + "\(days(figures.requestToMeeting.percentile90)) (\(figures.requestToMeeting.count) discussions held)",
            chart: chart.svg, weeks: weeks, teamChart: teamChart, teams: teamRows, agencyChart: agencyChart, agencies: agencyRows,
            filters: filters(performance, typed: typed, errors: errors), exports: exports, hasExports: !exports.isEmpty,
            agencyView: performance.agency != nil, observationMonths: observationMonths, observers: observers,
            hasObservers: !observers.isEmpty)
        return try await req.page("performance", title: "Performance", page, errors: errors)
    }

    /// A CSV export of the view's period and filters (audited by the lifecycle).
    @Sendable static func export(req: Request) async throws -> Response {
        guard let kind = Operations.PerformanceExportKind(rawValue: req.parameters.get("kind") ?? "") else {
            throw Abort(.notFound)
        }
        let (performance, rows) = try await Operations.performanceExport(req.lifecycle, query(req), kind: kind)
        let period = performance.figures.period
        return try CSVDocument.response(rows, filename: "convene-\(kind.rawValue)-\(period.first)-to-\(period.last).csv")
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
        let filters = query(req)
        guard let found = try await Operations.performanceDiscussions(req.lifecycle, filters, measure: key, page: window) else {
            throw Abort(.notFound)
        }
        let names = try await MyWorkController.childNames(found.rows.map(\.caseID), req, today: EuropeLondon.localDate(of: req.now))
        let pages = window.pages(total: found.total)
        let shown = found.performance.query
        func link(_ n: Int) -> String { Self.link(SiteURL.performanceMeasure(key).path, shown, [("page", "\(n)")]) }
        let page = DrillDown(
            title: found.measure.label, scope: scopeName(found.performance), period: found.performance.figures.period.label,
            count: found.measure.count,
            rows: found.rows.map { d in
                Row(reference: d.reference, href: SiteURL.discussion(d.id).path, children: names[d.caseID] ?? "",
                    stage: Display.tag(d.stage))
            },
            none: found.rows.isEmpty, total: found.total, page: window.number, pages: pages,
            previous: window.number > 1 ? link(window.number - 1) : "", next: window.number < pages ? link(window.number + 1) : "")
        return try await req.page("performance-discussions", title: found.measure.label, page,
                                  backLink: Self.link(SiteURL.performance.path, shown))
    }
}
