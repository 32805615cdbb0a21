import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The discussion's task list: every step from request to circulated minutes, what is done,
/// what is next, and every deadline with its rule (INT-ALL-06).
enum DiscussionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", use: show)
        routes.get("discussions", ":id", "request", use: showRequest)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        try await req.logView(loaded, detail: "task list")
        let overview = try await Operations.discussionOverview(req.lifecycle, loaded)
        let page = DiscussionPage(loaded, overview, now: req.now)
        let d = loaded.discussion
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("discussion", title: "\(d.reference) – \(loaded.pack.meetingName)", page,
                                  notification: done.map { .success($0) })
    }

    @Sendable static func showRequest(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        try await req.logView(loaded, detail: "request")
        return try await renderRequest(req, loaded, state: FormState())
    }

    static func renderRequest(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        return try await req.page("request-view", title: "Request \(loaded.discussion.reference)",
                                  RequestViewPage(loaded, state: state, csrf: req.csrfToken),
                                  errors: errors,
                                  notification: req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }
}
