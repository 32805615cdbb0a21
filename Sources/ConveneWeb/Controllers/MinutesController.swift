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
        let decisionName: String
        let reasonName: String
    }

    /// The latest version the invitees were sent (or, for staff, the latest authorised one).
    static func releasedVersion(_ loaded: LoadedDiscussion, on db: any Database) async throws -> RecordVersion? {
        try await RecordVersion.query(on: db).filter(\.$discussion.$id == loaded.id)
            .filter(\.$kind ~~ [.authorised, .corrected]).sort(\.$number, .descending).first()
    }

    /// Corrections may be sent within the pack's window after the invitee received the minutes.
    static func windowOpen(_ loaded: LoadedDiscussion, invitation: Invitation?, now: Date) -> Bool {
        guard loaded.discussion.stage == .circulated, let received = invitation?.circulatedAt else { return false }
        guard let window = loaded.pack.circulation.correctionsWindowSeconds else { return true }
        return now <= received.addingTimeInterval(TimeInterval(window))
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let released = loaded.allows(.viewRecord) && loaded.discussion.stage.minutesReleased
        var document: RecordDocument?
        var versionNumber = 0
        if released, let version = try await releasedVersion(loaded, on: req.db) {
            document = RecordDocument(version.snapshot, pack: loaded.pack, today: EuropeLondon.localDate(of: req.now))
            versionNumber = version.number
            try await req.db.audit([loaded.audit("view", detail: "minutes version \(version.number)")], by: req.actor, now: req.now)
            if let own = loaded.ownInvitation, own.openedAt == nil {
                try await req.db.audited(by: req.actor, now: req.now) { db in
                    own.openedAt = req.now
                    try await own.save(on: db)
                    return ((), [])
                }
            }
        } else {
            try await req.db.audit([loaded.audit("view", detail: "minutes not yet released")], by: req.actor, now: req.now)
        }
        let own = loaded.ownInvitation
        let corrections = own == nil ? [] : try await Correction.query(on: req.db).filter(\.$discussion.$id == loaded.id)
            .filter(\.$invitationID == own!.id!).sort(\.$createdAt).all()
        let window = loaded.pack.circulation.correctionsWindowSeconds
        let page = Page(
            reference: loaded.discussion.reference, released: document != nil, version: versionNumber, document: document,
            canCorrect: document != nil && loaded.allows(.submitCorrection) && windowOpen(loaded, invitation: own, now: req.now),
            windowText: window.map { w in
                "You can send corrections within \(w / 3600) hours of receiving the minutes"
                    + (own?.circulatedAt.map { " (until \(UKDisplay.dateTime($0.addingTimeInterval(TimeInterval(w)))))" } ?? "") + "."
            } ?? "You can send corrections to the chair.",
            correctionAction: SiteURL.discussionPart(loaded.id, .corrections).path,
            section: state.field("section", "Which part of the minutes").with(width: "30"),
            text: state.field("text", "Your correction", hint: "Say what is wrong and what it should say").with(rows: 5),
            own: corrections.map { row($0, loaded: loaded) }, hasOwn: !corrections.isEmpty)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("minutes", title: "Minutes \(loaded.discussion.reference)", page, errors: errors,
                                  notification: done.map { .success($0) })
    }

    static func row(_ c: Correction, loaded: LoadedDiscussion) -> CorrectionRow {
        CorrectionRow(by: c.submittedByName, section: c.section, text: c.text, status: c.status.rawValue.capitalizedFirst,
                      decision: c.decisionReason, submitted: c.createdAt.map { UKDisplay.dateTime($0) } ?? "",
                      action: SiteURL.correction(loaded.id, c.id!).path, pending: c.status == .pending,
                      decisionName: "decision." + c.id!.slug, reasonName: "reason." + c.id!.slug)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .submitCorrection)
        guard let own = loaded.ownInvitation, windowOpen(loaded, invitation: own, now: req.now) else {
            throw Abort(.conflict, reason: "The time for corrections has passed. Contact the chair.")
        }
        let form = try FormData(req)
        var checks = FieldChecks()
        checks.limit(form["section"], "section", max: 200)
        checks.text(form["text"], "text", "Enter your correction", max: 8000)
        guard checks.isValid else {
            return try await render(req, loaded, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { d, db in
            try StageError.check(.correct, at: d.stage)
            try await Correction(discussionID: loaded.id, recordVersion: d.recordVersion, invitationID: own.id!,
                                 submittedByName: own.name, section: form["section"].trimmed, text: form["text"].trimmed).create(on: db)
            return ((), [loaded.audit("correction-submit", "correction", detail: form["section"].trimmed)])
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
        let rows = try await Correction.query(on: req.db).filter(\.$discussion.$id == loaded.id).sort(\.$createdAt).all()
        try await req.db.audit([loaded.audit("view", detail: "corrections")], by: req.actor, now: req.now)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("corrections", title: "Corrections",
                                  ListPage(reference: loaded.discussion.reference, rows: rows.map { row($0, loaded: loaded) },
                                           none: rows.isEmpty, csrf: req.csrfToken),
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    /// The chair accepts (a new "corrected" version carrying the correction) or rejects, with a reason.
    @Sendable static func decide(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .decideCorrection)
        try StageError.check(.correct, at: loaded.discussion.stage)
        let correctionID = try req.uuid("correction")
        let form = try FormData(req)
        let decision = form["decision." + correctionID.slug]
        let reason = form["reason." + correctionID.slug].trimmed
        guard decision == "accept" || decision == "reject" else {
            throw ValidationFailure(InputError(field: FieldPath("decision." + correctionID.slug), "Choose whether to accept or reject the correction"))
        }
        if decision == "reject" && reason.isEmpty {
            throw ValidationFailure(InputError(field: FieldPath("reason." + correctionID.slug), "Give the reason for rejecting the correction"))
        }
        let now = req.now
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { d, db in
            guard let correction = try await Correction.find(correctionID, on: db), correction.$discussion.id == loaded.id else {
                throw Abort(.notFound)
            }
            guard correction.status == .pending else { throw ConflictError("This correction has already been decided.") }
            correction.decidedBy = loaded.user.id
            correction.decidedAt = now
            correction.decisionReason = reason
            if decision == "accept" {
                correction.status = .accepted
                var snapshot = try await RecordBuilder.snapshot(loaded, discussion: d, on: db)
                let key = "corrections"
                let entry = "\(correction.submittedByName) (\(correction.section.ifBlank("general"))): \(correction.text)"
                    + (reason.isEmpty ? "" : " – chair: \(reason)")
                let existing = d.content.sections[key] ?? ""
                d.content.sections[key] = existing.isEmpty ? entry : existing + "\n" + entry
                snapshot.content = d.content
                correction.resultVersion = try await RecordBuilder.saveVersion(snapshot, kind: .corrected, discussion: d,
                                                                               by: loaded.user.id, note: "Correction accepted", on: db)
            } else {
                correction.status = .rejected
            }
            try await correction.save(on: db)
            return ((), [loaded.audit("correction-\(decision)", "correction", reason: reason)])
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .corrections).path + "?done=corrected")
    }
}
