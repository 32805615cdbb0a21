import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The invitees' side: the authorised minutes (visible only after authorisation,
/// REC-ALL-01), corrections within the pack's window (REC-001-01), and the chair's decisions
/// on them, each accepted correction kept as a new version (REC-002-02).
enum MinutesController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "minutes", use: show)
        routes.post("discussions", ":id", "corrections", use: submit)
        routes.get("discussions", ":id", "corrections", use: list)
        routes.post("discussions", ":id", "corrections", ":correction", use: decide)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let minutes = try await Operations.readMinutes(req.lifecycle, loaded)
        let page = MinutesPage(loaded, minutes, state: state, today: EuropeLondon.localDate(of: req.now))
        try await req.logView(loaded, detail: minutes.version.map { "minutes version \($0.number)" } ?? "minutes not yet released")
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("minutes", title: "Minutes \(loaded.discussion.reference)", page, errors: errors,
                                  notification: done.map { .success($0) })
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .submitCorrection)
        let form = try FormData(req)
        do {
            _ = try await Operations.submitCorrection(req.lifecycle, loaded, section: form["section"], text: form["text"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .minutes).path + "?done=correction")
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideCorrection)
        try await req.logView(loaded, detail: "corrections")
        return try await renderList(req, loaded, state: FormState(), errors: [])
    }

    /// The chair's list; after a refused decision, with the answers kept and each error on its field.
    static func renderList(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError]) async throws -> Response {
        let corrections = try await Operations.corrections(req.lifecycle, loaded).rows
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("corrections", title: "Corrections",
                                  CorrectionsPage(loaded, corrections, state: state, csrf: req.csrfToken),
                                  errors: errors, notification: errors.isEmpty ? done.map { .success($0) } : nil,
                                  backLink: SiteURL.discussion(loaded.id).path, status: errors.isEmpty ? nil : .badRequest)
    }

    @Sendable static func decide(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideCorrection)
        let correctionID = try req.uuid("correction")
        let form = try FormData(req)
        let decision = form["decision." + correctionID.slug]
        do {
            try await Operations.decideCorrection(req.lifecycle, loaded, correctionID: correctionID,
                                                  accept: decision == "accept" ? true : (decision == "reject" ? false : nil),
                                                  reason: form["reason." + correctionID.slug],
                                                  correctedText: form.has("corrected." + correctionID.slug)
                                                      ? form["corrected." + correctionID.slug] : nil)
        } catch let failure as ValidationFailure {
            return try await renderList(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .corrections).path + "?done=corrected")
    }
}
