import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The team manager decides whether a discussion is needed (REQ-001-02).
enum DecisionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "decision", use: show)
        routes.post("discussions", ":id", "decision", use: submit)
        routes.post("discussions", ":id", "sarc-contact", use: recordSarcContact)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideConvene)
        try StageError.check(.decide, at: loaded.discussion.stage)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws -> Response {
        let page = DecisionPage(loaded, state: state, csrf: req.csrfToken, today: EuropeLondon.localDate(of: req.now))
        return try await req.page("decision", title: "Decide whether to convene", page, errors: errors,
                                  backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideConvene)
        try StageError.check(.decide, at: loaded.discussion.stage)
        let form = try FormData(req)
        let convene = form.yesNo("convene")
        do {
            try await Operations.decide(req.lifecycle, loaded, convene: convene.map { $0 == .yes }, reason: form["reason"],
                                        expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussion(loaded.id).path + "?done=" + (convene == .yes ? "decided" : "declined"))
    }

    /// TIME-000-02: the SARC contact made before convening, from the request or decision page.
    @Sendable static func recordSarcContact(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordImmediateProtection)
        let form = try FormData(req)
        var checks = FieldChecks()
        let at = form.dateTime("sarcContactedAt", label: "When the SARC was contacted", &checks)
        let toDecision = form["return"] == "decision" && loaded.allows(.decideConvene) && loaded.discussion.stage == .requested
        do {
            try await Operations.recordSarcContact(req.lifecycle, loaded, at: at, by: form["sarcContactedBy"],
                                                   advice: form["sarcForensicAdvice"], formErrors: checks.errors)
        } catch let failure as ValidationFailure {
            let state = FormState(form: form, errors: failure.errors)
            if toDecision { return try await render(req, loaded, state: state, errors: failure.errors) }
            return try await DiscussionController.renderRequest(req, loaded, state: state, errors: failure.errors)
        }
        return req.redirect(to: (toDecision ? SiteURL.discussionPart(loaded.id, .decision) : SiteURL.discussionPart(loaded.id, .request))
            .path + "?done=sarc")
    }
}
