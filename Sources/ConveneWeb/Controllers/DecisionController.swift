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

    struct Page: Encodable {
        let action: String
        let version: Int
        let reference: String
        let children: String
        let presentingIssue: String
        let rationale: String
        let urgency: String
        let urgencyRationale: String
        let convene: ChoiceContext
        let reason: FieldContext
        let requestHref: String
        let sarc: SarcPrompt
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideConvene)
        try StageError.check(.decide, at: loaded.discussion.stage)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws -> Response {
        let d = loaded.discussion
        let page = Page(
            action: SiteURL.discussionPart(loaded.id, .decision).path, version: d.lockVersion, reference: d.reference,
            children: Display.children(loaded.childDetails, today: EuropeLondon.localDate(of: req.now)),
            presentingIssue: d.request.presentingIssue, rationale: d.request.rationale,
            urgency: loaded.pack.request.urgencies.first { $0.urgency == d.urgency }?.label ?? d.urgency.rawValue,
            urgencyRationale: d.request.urgencyRationale,
            convene: {
                var c = state.radios("convene", "Is a \(loaded.pack.meetingName) needed?", options: [
                    ("yes", "Yes – convene it"), ("no", "No – it is not needed"),
                ])
                c.legendSize = "m"
                return c
            }(),
            reason: state.field("reason", "Reason for your decision",
                                hint: "Required if it is not needed. Say what will happen instead."),
            requestHref: SiteURL.discussionPart(loaded.id, .request).path,
            sarc: SarcPrompt(loaded, state: state, returnTo: "decision", csrf: req.csrfToken))
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
