import ConveneCore
import ConveneStore
import Foundation

/// Finding things (issue 14): one discussion as the search and the week's meetings list it.
public struct FoundRow: Encodable, Sendable {
    let reference: String
    let href: String
    let children: String
    let stage: Display.Tag
    let slot: String
    let time: String
    let format: String
    let chair: String
    let minuteTaker: String

    init(_ d: DiscussionRow, children: [UUID: String], names: [UUID: String] = [:]) {
        reference = d.reference
        href = SiteURL.discussion(d.id).path
        self.children = children[d.caseID] ?? ""
        stage = Display.tag(d.stage)
        slot = d.slotStart.map { UKDisplay.compact($0) } ?? ""
        time = d.slotStart.map { UKDisplay.time($0) + (d.slotEnd.map { " to " + UKDisplay.time($0) } ?? "") } ?? ""
        format = MeetingFormat.label(d.meetingFormat)
        chair = d.chairID.flatMap { names[$0] } ?? ""
        minuteTaker = d.minuteTakerID.flatMap { names[$0] } ?? ""
    }
}

/// The search page: the question, then the discussions found, latest request first, a page at
/// a time; a refused question is shown again with its error.
public struct SearchPage: Encodable, Sendable {
    let query: FieldContext
    let searched: Bool
    let summary: String
    let rows: [FoundRow]
    let found: Bool
    let previous: String
    let next: String
    let page: Int
    let pages: Int

    public init(text: String?, results: Operations.SearchResults?, errors: [InputError], window: ListPage, today: LocalDate) {
        query = FormState(values: ["q": text ?? ""], errors: errors)
            .field("q", "Child’s name, date of birth, case number or reference",
                   hint: "For example, Amira Khan, 4/6/2019 or a discussion’s reference")
        let total = results?.total ?? 0
        searched = results?.search != nil
        summary = total == 0 ? "No discussions you may see match."
            : "\(total) discussion\(total == 1 ? "" : "s") found, latest request first."
        let names = Display.childNames(results?.children ?? [], today: today)
        rows = (results?.rows ?? []).map { FoundRow($0, children: names) }
        found = !rows.isEmpty
        pages = window.pages(total: total)
        page = window.number
        func link(_ n: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.search.path
            components.queryItems = [URLQueryItem(name: "q", value: text ?? ""), URLQueryItem(name: "page", value: String(n))]
            return components.string ?? SiteURL.search.path
        }
        previous = page > 1 ? link(page - 1) : ""
        next = page < pages ? link(page + 1) : ""
    }
}

/// The week's booked meetings, day by day (weekends only when something is booked on them),
/// with links to the weeks either side and back to this one.
public struct MeetingsWeekPage: Encodable, Sendable {
    struct Day: Encodable, Sendable {
        let title: String
        let rows: [FoundRow]
        let none: Bool
    }

    public let title: String
    let days: [Day]
    let summary: String
    let previous: String
    let next: String
    let thisWeek: String

    public init(_ week: Operations.MeetingsWeek, today: LocalDate) {
        let children = Display.childNames(week.children, today: today)
        func link(_ monday: LocalDate) -> String { SiteURL.calendar.path + "?week=\(monday)" }
        title = "Meetings, week of " + UKDisplay.date(week.monday)
        days = week.days.compactMap { day, meetings in
            day.isWeekend && meetings.isEmpty ? nil
                : Day(title: UKDisplay.date(day, weekday: true), rows: meetings.map { FoundRow($0, children: children, names: week.names) },
                      none: meetings.isEmpty)
        }
        let total = week.total
        summary = total == 0 ? "No meetings you may see are booked this week."
            : "\(total) meeting\(total == 1 ? "" : "s") booked this week that you may see."
        previous = link(week.monday.adding(days: -7))
        next = link(week.monday.adding(days: 7))
        thisWeek = week.monday <= today && today < week.monday.adding(days: 7) ? "" : SiteURL.calendar.path
    }
}
