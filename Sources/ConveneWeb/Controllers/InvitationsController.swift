import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 3: invitations. Required and conditional invitees come from the attendance engine,
/// each with the rule that made them required; each invitee gets personal, non-forwardable
/// access (REQ-001-03).
enum InvitationsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "invitations", use: show)
        routes.post("discussions", ":id", "invitations", use: add)
        routes.post("discussions", ":id", "invitations", ":invitation", "remove", use: remove)
        routes.post("discussions", ":id", "send", use: send)
        routes.post("discussions", ":id", "invitations", ":invitation", "resend", use: resend)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let people = try await Operations.invitablePeople(req.lifecycle, loaded)
        let deliveries = try await Operations.inviteeDeliveries(req.lifecycle, loaded)
        let page = InvitationsPage(loaded, people: people, deliveries: deliveries, state: state)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("invitations", title: "Invitations", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func add(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        let form = try FormData(req)
        do {
            _ = try await Operations.addInvitation(req.lifecycle, loaded, .init(
                personID: UUID(uuidString: form["person"]), name: form["name"], email: form["email"], agency: form["agency"],
                role: form["role"], phone: form["phone"]))
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + "?done=invited")
    }

    @Sendable static func remove(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try await Operations.removeInvitation(req.lifecycle, loaded, invitationID: try req.uuid("invitation"))
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path)
    }

    /// Sends the failed messages to one invitee again (issue 11).
    @Sendable static func resend(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try await Operations.resendToInvitee(req.lifecycle, loaded, invitationID: try req.uuid("invitation"))
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + "?done=resent")
    }

    @Sendable static func send(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        let count = try await Operations.sendInvitations(req.lifecycle, loaded)
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + (count > 0 ? "?done=sent" : ""))
    }
}
