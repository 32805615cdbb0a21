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

    struct Page: Encodable {
        let reference: String
        let released: Bool
        let version: Int
        /// "authorised by Tara Whitfield on …" (issue 14): who made this version the record, and when.
        let authorised: String
        let document: RecordDocument?
        let canCorrect: Bool
        let windowText: String
        let correctionAction: String
        let section: FieldContext
        let text: FieldContext
        let own: [CorrectionRow]
        let hasOwn: Bool
    }

    struct CorrectionRow: Encodable {
        let by: String
        let section: String
        let text: String
        let status: String
        let decision: String
        let submitted: String
        let action: String
        let pending: Bool
        var form: DecisionForm
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let minutes = try await Operations.readMinutes(req.lifecycle, loaded)
        var document: RecordDocument?
        if let version = minutes.version {
            document = RecordDocument(version.snapshot, pack: loaded.pack, today: EuropeLondon.localDate(of: req.now))
        }
        try await req.logView(loaded, detail: minutes.version.map { "minutes version \($0.number)" } ?? "minutes not yet released")
        let window = loaded.pack.circulation.correctionsWindowSeconds
        let page = Page(
            reference: loaded.discussion.reference, released: document != nil, version: minutes.version?.number ?? 0,
            authorised: minutes.authorised, document: document, canCorrect: minutes.canCorrect,
            windowText: window.map { w in
                "You can send corrections within \(w / 3600) hours of receiving the minutes"
                    + (minutes.correctionsUntil.map { " (until \(UKDisplay.dateTime($0)))" } ?? "") + "."
            } ?? "You can send corrections to the chair.",
            correctionAction: SiteURL.discussionPart(loaded.id, .corrections).path,
            section: state.field("section", "Which part of the minutes").with(width: "30"),
            text: state.field("text", "Your correction", hint: "Say what is wrong and what it should say").with(rows: 5),
            own: minutes.ownCorrections.map { row($0, loaded: loaded) }, hasOwn: !minutes.ownCorrections.isEmpty)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("minutes", title: "Minutes \(loaded.discussion.reference)", page, errors: errors,
                                  notification: done.map { .success($0) })
    }

    static func row(_ c: Correction, loaded: LoadedDiscussion) -> CorrectionRow {
        CorrectionRow(by: c.submittedByName, section: c.section, text: c.text, status: c.status.rawValue.capitalizedFirst,
                      decision: c.decisionReason, submitted: c.createdAt.map { UKDisplay.dateTime($0) } ?? "",
                      action: SiteURL.correction(loaded.id, c.id!).path, pending: c.status == .pending,
                      form: DecisionForm(decisionName: "decision." + c.id!.slug, reasonName: "reason." + c.id!.slug,
                                         decisionID: "decision-" + c.id!.slug, reasonID: "reason-" + c.id!.slug,
                                         choices: [("accept", "Accept"), ("reject", "Reject")], reasonLabel: "Reason (required to reject)"))
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

    struct ListPage: Encodable {
        let reference: String
        let rows: [CorrectionRow]
        let none: Bool
        let csrf: String
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideCorrection)
        try await req.logView(loaded, detail: "corrections")
        return try await renderList(req, loaded, state: FormState(), errors: [])
    }

    /// The chair's list; after a refused decision, with the answers kept and each error on its field.
    static func renderList(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError]) async throws -> Response {
        let rows = try await Operations.corrections(req.lifecycle, loaded).rows.map { c in
            var r = row(c, loaded: loaded)
            r.form = r.form.filled(from: state)
            return r
        }
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("corrections", title: "Corrections",
                                  ListPage(reference: loaded.discussion.reference, rows: rows, none: rows.isEmpty, csrf: req.csrfToken),
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
                                                  reason: form["reason." + correctionID.slug])
        } catch let failure as ValidationFailure {
            return try await renderList(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .corrections).path + "?done=corrected")
    }
}
