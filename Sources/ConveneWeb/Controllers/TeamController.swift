import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The team page: every open discussion with its next deadline, soonest first, paginated
/// and served by the (organisation, next_due) index.
enum TeamController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("team", use: show)
    }

    static let pageSize = 25

    @Sendable static func show(req: Request) async throws -> Response {
        let now = req.now
        let stageFilter = req.query[String.self, at: "stage"].flatMap(DiscussionStage.init(rawValue:))
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        let work = try await Operations.teamWork(req.lifecycle, team: UUID(uuidString: req.query[String.self, at: "team"] ?? ""),
                                                 stage: stageFilter, page: window)
        let names = try await MyWorkController.childNames(work.rows.map(\.caseID), req, today: EuropeLondon.localDate(of: now))
        let page = TeamPage(work, window: window, stage: stageFilter, names: names, currentTeam: req.currentUser?.teamID, now: now)
        return try await req.page("team", title: page.title, page)
    }
}
