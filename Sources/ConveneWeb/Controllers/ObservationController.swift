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

    struct Row: Encodable {
        let observer: String
        let day: String
        let notes: String
    }

    struct Page: Encodable {
        let reference: String
        let meeting: String
        let rows: [Row]
        let none: Bool
        let canRecord: Bool
        let action: String
        let observedOn: DateFieldContext
        let notes: FieldContext
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
        let page = Page(
            reference: loaded.discussion.reference,
            meeting: (loaded.discussion.startedAt ?? loaded.discussion.slotStart).map { UKDisplay.dateTime($0) } ?? "Not yet booked",
            rows: rows.map {
                Row(observer: $0.observerName, day: UKDisplay.date(EuropeLondon.localDate(of: $0.observation.observedAt)),
                    notes: $0.observation.notes)
            },
            none: rows.isEmpty, canRecord: Operations.observable(loaded),
            action: SiteURL.discussionPart(loaded.id, .observation).path,
            observedOn: state.date("observedOn", "The day you observed it", hint: "For example, 27 11 2026"),
            notes: state.field("notes", "What you observed", hint: "For your own oversight: the quality of the discussion, not the case notes")
                .with(rows: 6))
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
