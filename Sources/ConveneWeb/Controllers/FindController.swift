import ConveneCore
import ConveneLifecycle
import Foundation
import Vapor

/// Finding things (issue 14): the search for a discussion, and the week's booked meetings.
enum FindController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("search", use: search)
        routes.get("calendar", use: week)
    }

    static let pageSize = 25

    @Sendable static func search(req: Request) async throws -> Response {
        let text = req.query[String.self, at: "q"]
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        var results: Operations.SearchResults?
        var errors: [InputError] = []
        do {
            results = try await Operations.search(req.lifecycle, for: text, page: window)
        } catch let failure as ValidationFailure {
            errors = failure.errors
        }
        let page = SearchPage(text: text, results: results, errors: errors, window: window, today: EuropeLondon.localDate(of: req.now))
        return try await req.page("search", title: "Find a discussion", page, errors: errors)
    }

    @Sendable static func week(req: Request) async throws -> Response {
        let week = try await Operations.meetingsWeek(req.lifecycle, week: req.query[String.self, at: "week"])
        let page = MeetingsWeekPage(week, today: EuropeLondon.localDate(of: req.now))
        return try await req.page("calendar", title: page.title, page)
    }
}
