import ConveneCore
import ConveneLifecycle
import ConveneStore
import Foundation
import Vapor

/// Finding things (issue 14): the search for a discussion, and the week's booked meetings.
enum FindController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("search", use: search)
        routes.get("calendar", use: week)
    }

    static let pageSize = 25

    struct Row: Encodable {
        let reference: String
        let href: String
        let children: String
        let stage: Display.Tag
        let slot: String
        let time: String
        let format: String
        let chair: String
        let minuteTaker: String
    }

    struct SearchPage: Encodable {
        let query: FieldContext
        let searched: Bool
        let summary: String
        let rows: [Row]
        let found: Bool
        let previous: String
        let next: String
        let page: Int
        let pages: Int
    }

    static func row(_ d: DiscussionRow, children: [UUID: String], names: [UUID: String] = [:]) -> Row {
        Row(reference: d.reference, href: SiteURL.discussion(d.id).path, children: children[d.caseID] ?? "",
            stage: Display.tag(d.stage), slot: d.slotStart.map { UKDisplay.compact($0) } ?? "",
            time: d.slotStart.map { UKDisplay.time($0) + (d.slotEnd.map { " to " + UKDisplay.time($0) } ?? "") } ?? "",
            format: MeetingFormat.label(d.meetingFormat), chair: d.chairID.flatMap { names[$0] } ?? "",
            minuteTaker: d.minuteTakerID.flatMap { names[$0] } ?? "")
    }

    static func names(_ children: [CaseChild], today: LocalDate) -> [UUID: String] {
        Dictionary(grouping: children, by: { $0.$case.id }).mapValues { Display.children($0.map(\.details), today: today) }
    }

    @Sendable static func search(req: Request) async throws -> Response {
        let text = req.query[String.self, at: "q"]
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        var state = FormState(values: ["q": text ?? ""])
        var results: Operations.SearchResults?
        do {
            results = try await Operations.search(req.lifecycle, for: text, page: window)
        } catch let failure as ValidationFailure {
            state.errors = failure.errors
        }
        let query = state.field("q", "Child’s name, date of birth, case number or reference",
                                hint: "For example, Amira Khan, 4/6/2019 or a discussion’s reference")
        guard let results else {
            let page = SearchPage(query: query, searched: false, summary: "", rows: [], found: false, previous: "", next: "", page: 1, pages: 1)
            return try await req.page("search", title: "Find a discussion", page, errors: state.errors)
        }
        let children = names(results.children, today: EuropeLondon.localDate(of: req.now))
        let pages = window.pages(total: results.total)
        func link(_ n: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.search.path
            components.queryItems = [URLQueryItem(name: "q", value: text ?? ""), URLQueryItem(name: "page", value: String(n))]
            return components.string ?? SiteURL.search.path
        }
        let n = results.total
        let page = SearchPage(
            query: query, searched: results.search != nil,
            summary: n == 0 ? "No discussions you may see match." : "\(n) discussion\(n == 1 ? "" : "s") found, latest request first.",
            rows: results.rows.map { row($0, children: children) }, found: !results.rows.isEmpty,
            previous: window.number > 1 ? link(window.number - 1) : "", next: window.number < pages ? link(window.number + 1) : "",
            page: window.number, pages: pages)
        return try await req.page("search", title: "Find a discussion", page)
    }

    struct Day: Encodable {
        let title: String
        let rows: [Row]
        let none: Bool
    }

    struct WeekPage: Encodable {
        let title: String
        let days: [Day]
        let summary: String
        let previous: String
        let next: String
        let thisWeek: String
    }

    @Sendable static func week(req: Request) async throws -> Response {
        let week = try await Operations.meetingsWeek(req.lifecycle, week: req.query[String.self, at: "week"])
        let children = names(week.children, today: EuropeLondon.localDate(of: req.now))
        func link(_ monday: LocalDate) -> String { SiteURL.calendar.path + "?week=\(monday)" }
        let sunday = week.monday.adding(days: 6)
        let page = WeekPage(
            title: "Meetings, week of " + UKDisplay.date(week.monday),
            days: week.days.compactMap { day, meetings in
                // Weekends only when something is booked on them.
                day.isWeekend && meetings.isEmpty ? nil
                    : Day(title: UKDisplay.date(day, weekday: true), rows: meetings.map { row($0, children: children, names: week.names) },
                          none: meetings.isEmpty)
            },
            summary: week.total == 0 ? "No meetings you may see are booked this week."
                : week.total == 1 ? "1 meeting booked this week that you may see." : "\(week.total) meetings booked this week that you may see.",
            previous: link(week.monday.adding(days: -7)), next: link(week.monday.adding(days: 7)),
            thisWeek: week.monday <= EuropeLondon.localDate(of: req.now) && EuropeLondon.localDate(of: req.now) <= sunday
                ? "" : SiteURL.calendar.path)
        return try await req.page("calendar", title: page.title, page)
    }
}
