import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Finding a discussion (issue 14): by a child's name or date of birth, the case number or the
/// reference, among the discussions the person may see (the same indexed visibility as every
/// list), latest request first. A search that shows children is recorded in the audit trail,
/// naming the children shown and the kind of search, never what was typed.
extension Operations {
    public struct SearchResults: Sendable {
        /// What was asked (nil: nothing yet).
        public let search: DiscussionSearch?
        public let rows: [DiscussionRow]
        public let total: Int
        /// The children of the cases shown, each case's in order.
        public let children: [ChildName]
    }

    public static func search(_ ctx: LifecycleContext, for text: String?, page window: ListPage) async throws -> SearchResults {
        let user = try ctx.requireUser()
        // Not a personal link (one discussion already), not administrators or auditors (who
        // have the audit trail's own search).
        guard user.maySearch else { throw LifecycleError.notAllowed() }
        guard let search = try DiscussionSearch.read(text) else {
            return SearchResults(search: nil, rows: [], total: 0, children: [])
        }
        var list = DiscussionList(scope: user.discussionListScope(now: ctx.now))
        list.matching = search
        list.order = .latestRequest
        async let counted = list.count(on: ctx.db)
        let rows = try await list.rows(window.range, on: ctx.db)
        let total = try await counted
        let children = try await Self.childNames(ctx, ofCases: rows.map(\.caseID))
        try await ctx.db.audit([AuditRecord("search", "discussions", childIDs: children.map(\.id),
                                             detail: "by \(search.kind): \(total) found")],
                               by: ctx.actor, now: ctx.now)
        return SearchResults(search: search, rows: rows, total: total, children: children)
    }
}

/// The week's booked meetings (issue 14) for minute takers and managers: every meeting the
/// person may see that starts in the week (Monday to Sunday, Europe/London), soonest first.
extension Operations {
    public struct MeetingsWeek: Sendable {
        public let monday: LocalDate
        /// Each day of the week with its meetings, in order of time.
        public let days: [(day: LocalDate, meetings: [DiscussionRow])]
        /// Chairs and minute takers by id.
        public let names: [UUID: String]
        /// The children of the cases shown.
        public let children: [ChildName]
        public var total: Int { days.reduce(0) { $0 + $1.meetings.count } }
    }

    /// More than any week holds; beyond it the week says so rather than loading without end.
    public static let meetingsWeekLimit = 500

    /// The week of `week` (any day of it, `YYYY-MM-DD`; nil: this week).
    public static func meetingsWeek(_ ctx: LifecycleContext, week: String?) async throws -> MeetingsWeek {
        let user = try ctx.requireUser()
        guard user.seesMeetingsCalendar else { throw LifecycleError.notAllowed() }
        let text = week?.trimmed ?? ""
        var day = EuropeLondon.localDate(of: ctx.now)
        if !text.isEmpty {
            guard let asked = LocalDate(text), asked.isPlausible else {
                throw ValidationFailure(InputError(field: "week", "Enter a day of the week as YYYY-MM-DD"))
            }
            day = asked
        }
        let monday = day.adding(days: 1 - day.weekday)
        var list = DiscussionList(scope: user.discussionListScope(now: ctx.now))
        list.stages = [.booked, .inMeeting, .recordFinal, .authorised, .circulated]
        list.slotFrom = EuropeLondon.instant(on: monday, secondsIntoDay: 0)
        list.slotBefore = EuropeLondon.instant(on: monday.adding(days: 7), secondsIntoDay: 0)
        list.order = .slot
        let rows = try await list.rows(0..<meetingsWeekLimit, on: ctx.db)
        let people = Set(rows.flatMap { [$0.chairID, $0.minuteTakerID].compactMap { $0 } })
        var names: [Person] = []
        if !people.isEmpty {
            names = try await Person.query(on: ctx.db).filter(\.$id ~~ Array(people)).all()
        }
        let children = try await Self.childNames(ctx, ofCases: rows.map(\.caseID))
        if !children.isEmpty {
            try await ctx.db.audit([AuditRecord("view", "list", childIDs: children.map(\.id),
                                                 detail: "names on meetings of the week of \(monday)")],
                                   by: ctx.actor, now: ctx.now)
        }
        let byDay = Dictionary(grouping: rows) { EuropeLondon.localDate(of: $0.slotStart ?? ctx.now) }
        return MeetingsWeek(monday: monday, days: (0..<7).map { n in
            let date = monday.adding(days: n)
            return (day: date, meetings: byDay[date] ?? [])
        }, names: Dictionary(names.compactMap { p in p.id.map { ($0, p.name) } }, uniquingKeysWith: { a, _ in a }),
           children: children)
    }
}
