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
    }

    @Sendable static func showAgenda(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var state = FormState()
        for (key, text) in loaded.discussion.content.sections { state.values["sections." + key] = text }
        return try await renderAgenda(req, loaded, state: state)
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
        var sections: [String: String] = [:]
        for item in loaded.pack.agenda {
            for child in item.perChild ? loaded.children.map(Optional.some) : [nil] {
                sections[RecordContent.key(item.id, child: child?.id)] = form[AgendaPage.key(item, child: child)]
            }
        }
        do {
            try await Operations.saveSections(req.lifecycle, loaded, sections, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await renderAgenda(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .agenda).path + "?done=saved")
    }

    @Sendable static func showChecklist(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var state = FormState()
        for (id, answer) in loaded.discussion.content.checklist {
            state.values["checklist." + id] = answer.response.rawValue
            state.values["checklist." + id + ".note"] = answer.note
        }
        return try await renderChecklist(req, loaded, state: state)
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
        var answers: [String: ChecklistAnswer] = [:]
        for item in loaded.pack.checklist {
            let name = "checklist." + item.id
            if let response = ChecklistResponse(rawValue: form[name]) {
                answers[item.id] = ChecklistAnswer(response: response, note: form[name + ".note"].trimmed)
            } else if !form[name].isEmpty {
                checks.fail(FieldPath(name), "Choose an answer")
            }
        }
        do {
            try checks.finish()
            try await Operations.saveChecklist(req.lifecycle, loaded, answers, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await renderChecklist(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .checklist).path + "?done=saved")
    }
}
