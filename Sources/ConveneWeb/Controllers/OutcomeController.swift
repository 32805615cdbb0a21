import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// DEC-004-01: the outcome of the section 47 enquiry, shared with the strategy discussion's
/// members; a significant change to it is proposed here and each original member endorses it
/// or objects, with a reason. The change stands when the pack's rule is met.
enum OutcomeController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "outcome", use: show)
        routes.post("discussions", ":id", "outcome", use: propose)
        routes.post("discussions", ":id", "outcome", ":change", use: respond)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let overview = try await Operations.outcomeChanges(req.lifecycle, loaded)
        let page = OutcomePage(loaded, overview, state: state)
        return try await req.page("outcome", title: "The section 47 outcome", page, errors: errors,
                                  notification: req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func propose(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordFollowUp)
        let form = try FormData(req)
        do {
            _ = try await Operations.proposeOutcomeChange(req.lifecycle, loaded, change: form["change"], reason: form["reason"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .outcome).path + "?done=outcome-change")
    }

    @Sendable static func respond(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        let form = try FormData(req)
        do {
            try await Operations.respondToOutcomeChange(req.lifecycle, loaded, changeID: try req.uuid("change"),
                                                        response: EndorsementResponse(rawValue: form["response"]),
                                                        reason: form["responseReason"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .outcome).path + "?done=outcome-response")
    }
}
