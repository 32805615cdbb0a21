import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// OVS-001-01: a service manager records observing a discussion (the day and what they
/// noted); the page lists the observations already recorded for it.
enum ObservationController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "observation", use: show)
        routes.post("discussions", ":id", "observation", use: record)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .observeDiscussion)
        var state = FormState()
        state.setDate("observedOn", (loaded.discussion.startedAt ?? loaded.discussion.slotStart).map(EuropeLondon.localDate(of:)))
        return try await render(req, loaded, state: state)
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let rows = try await Operations.observations(req.lifecycle, loaded)
        let page = ObservationPage(loaded, rows, state: state)
        return try await req.page("observation", title: "Record an observation", page, errors: errors,
                                  notification: req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func record(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .observeDiscussion)
        let form = try FormData(req)
        var dayChecks = FieldChecks()
        let day = form.date("observedOn", label: "The day you observed it", &dayChecks)
        do {
            try await Operations.recordObservation(req.lifecycle, loaded, day: day, notes: form["notes"], dayChecks: dayChecks.errors)
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .observation).path + "?done=observation")
    }
}
