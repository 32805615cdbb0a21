import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 4b: the pack's agenda, child by child (AGN-000-01, AGN-001-02), and its checklist
/// (AGN-000-02, AGN-001-01). Notes are brief, not verbatim (REC-ALL-01).
enum MeetingController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "agenda", use: showAgenda)
        routes.post("discussions", ":id", "agenda", use: saveAgenda)
        routes.get("discussions", ":id", "checklist", use: showChecklist)
        routes.post("discussions", ":id", "checklist", use: saveChecklist)
        routes.get("discussions", ":id", "meeting", use: showMeeting)
        routes.post("discussions", ":id", "meeting", use: saveMeeting)
    }

    @Sendable static func showAgenda(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        return try await renderAgenda(req, loaded, state: AgendaPage.values(loaded))
    }

    static func renderAgenda(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = [])
        async throws -> Response
    {
        let page = AgendaPage(loaded, state: state)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("agenda", title: "Agenda and notes", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func saveAgenda(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        do {
            try await Operations.saveSections(req.lifecycle, loaded, agendaSections(form, loaded), expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await renderAgenda(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .agenda).path + "?done=saved")
    }

    @Sendable static func showChecklist(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        return try await renderChecklist(req, loaded, state: AgendaPage.values(loaded))
    }

    static func renderChecklist(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = [])
        async throws -> Response
    {
        let page = ChecklistPage(loaded, state: state)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("checklist", title: "Checklist", page, errors: errors, notification: done.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func saveChecklist(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        var checks = FieldChecks()
        let answers = checklistAnswers(form, loaded, &checks)
        do {
            try checks.finish()
            try await Operations.saveChecklist(req.lifecycle, loaded, answers, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await renderChecklist(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .checklist).path + "?done=saved")
    }

    /// The agenda's notes as the form holds them, one per item (or per item and child).
    static func agendaSections(_ form: FormData, _ loaded: LoadedDiscussion) -> [String: String] {
        var sections: [String: String] = [:]
        for item in loaded.pack.agenda {
            for child in item.perChild ? loaded.children.map(Optional.some) : [nil] {
                sections[RecordContent.key(item.id, child: child?.id)] = form[AgendaPage.key(item, child: child)]
            }
        }
        return sections
    }

    /// The checklist's answers as the form holds them; an unanswered question is left out.
    static func checklistAnswers(_ form: FormData, _ loaded: LoadedDiscussion, _ checks: inout FieldChecks) -> [String: ChecklistAnswer] {
        var answers: [String: ChecklistAnswer] = [:]
        for item in loaded.pack.checklist {
            let name = "checklist." + item.id
            if let response = ChecklistResponse(rawValue: form[name]) {
                answers[item.id] = ChecklistAnswer(response: response, note: form[name + ".note"].trimmed)
            } else if !form[name].isEmpty {
                checks.fail(FieldPath(name), "Choose an answer")
            }
        }
        return answers
    }

    // MARK: The meeting on one page (issue 14)

    @Sendable static func showMeeting(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        guard loaded.discussion.stage.recordEditable else {
            // Once final, the meeting is read in the record.
            return req.redirect(to: SiteURL.discussionPart(loaded.id, .record).path)
        }
        var override: MeetingPage.Override?
        if let from = req.query[String.self, at: "copy"].flatMap(UUID.init(uuidString:)),
           let to = req.query[String.self, at: "to"].flatMap(UUID.init(uuidString:)) {
            override = .copy(from: from, to: to)
        }
        return try await renderMeeting(req, loaded, override: override)
    }

    static func renderMeeting(_ req: Request, _ loaded: LoadedDiscussion, override: MeetingPage.Override? = nil,
                              errors: [InputError] = []) async throws -> Response {
        try await req.logView(loaded, detail: "meeting page")
        let overview = try await Operations.meetingOverview(req.lifecycle, loaded)
        let page = MeetingPage(loaded, overview, override: override, csrf: req.csrfToken, now: req.now)
        var notification: LayoutContext.Notification?
        if errors.isEmpty, let done = req.query[String.self, at: "done"].flatMap({ Display.doneMessages[$0] }) {
            notification = .success(done)
        } else if errors.isEmpty, case let .copy(from, to) = override,
                  let source = loaded.children.first(where: { $0.id == from }), let target = loaded.children.first(where: { $0.id == to }) {
            notification = .important("\(source.name)’s decisions are copied into the form for \(target.name)",
                                      "Check each one and save: nothing is recorded for \(target.name) until you do.")
        }
        return try await req.page("meeting", title: "The \(loaded.pack.meetingName): \(loaded.discussion.reference)", page,
                                  errors: errors, notification: notification, backLink: SiteURL.discussion(loaded.id).path,
                                  errorHref: { MeetingPage.anchor(for: $0) })
    }

    /// The agenda's notes and the checklist, saved together. Without JavaScript the page comes
    /// back at the agenda item whose button was pressed; the page's script sends the form as
    /// the chair types and is answered in JSON (the new version, or what stopped the save).
    @Sendable static func saveMeeting(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        // Only the page's script asks for JSON alone; a browser's own `*/*` is a page (Vapor's
        // media types match wildcards, so the header's text is read as it is).
        let wantsJSON = req.headers.first(name: .accept)?.trimmed.lowercased() == "application/json"
        var checks = FieldChecks()
        let answers = checklistAnswers(form, loaded, &checks)
        var changed = true
        do {
            try checks.finish()
            changed = try await Operations.saveMeetingNotes(
                req.lifecycle, loaded, sections: agendaSections(form, loaded), checklist: answers,
                monitoring: .init(monitoredBy: form["monitoredBy"], safetyPlanNotRequiredReason: form["safetyPlanNotRequiredReason"]),
                expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            if wantsJSON { return try MeetingSave(errors: failure.errors).response(.badRequest) }
            return try await renderMeeting(req, loaded, override: .notes(FormState(form: form, errors: failure.errors)),
                                           errors: failure.errors)
        } catch let error as LifecycleError where wantsJSON {
            if case let .conflict(message, _) = error { return try MeetingSave(message: message).response(.conflict) }
            throw error
        }
        if wantsJSON {
            let fresh = try await Discussion.find(loaded.id, on: req.db)
            return try MeetingSave(version: fresh?.lockVersion, message: changed ? "Saved at " + UKDisplay.time(req.now) : "No changes to save")
                .response(.ok)
        }
        return req.redirect(to: meetingPath(loaded, done: changed ? "saved" : "unchanged", anchor: section(form["at"], loaded)))
    }

    /// Where a section's save returns on the meeting page; only the pack's own anchors.
    static func section(_ requested: String, _ loaded: LoadedDiscussion) -> String {
        let known = loaded.pack.agenda.map { "agenda-" + $0.id } + ["checklist", "attendance", "actions", "monitoring"]
            + loaded.children.map { "decisions-" + $0.id!.slug }
        return known.contains(requested) ? requested : ""
    }

    static func meetingPath(_ loaded: LoadedDiscussion, done: String, anchor: String) -> String {
        SiteURL.discussionPart(loaded.id, .meeting).path + "?done=" + done + (anchor.isEmpty ? "" : "#" + anchor)
    }

    /// Whether a section's form came from the meeting page (its hidden `return` field).
    static func returnsToMeeting(_ form: FormData) -> Bool {
        form["return"] == MeetingPage.returnValue
    }
}

/// The answer to the meeting page's script.
struct MeetingSave: Content {
    struct FieldError: Content {
        let field: String
        let message: String
    }

    var version: Int?
    var message: String?
    var errors: [FieldError]?

    init(version: Int? = nil, message: String? = nil) {
        self.version = version
        self.message = message
    }

    init(errors: [InputError]) {
        self.errors = errors.map { FieldError(field: $0.field.htmlID, message: $0.message) }
        message = "Not saved: " + Display.count(errors.count, "answer") + " to put right"
    }

    func response(_ status: HTTPResponseStatus) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(self, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
