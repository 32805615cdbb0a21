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

    struct AgendaItemContext: Encodable {
        let number: Int
        let title: String
        let rule: String
        let prompts: [String]
        let hasPrompts: Bool
        let fields: [FieldContext]
    }

    struct AgendaPage: Encodable {
        let action: String
        let version: Int
        let reference: String
        let items: [AgendaItemContext]
    }

    static func key(_ item: AgendaItem, child: CaseChild?) -> String {
        "sections." + RecordContent.key(item.id, child: child?.id)
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
        let items = loaded.pack.agenda.enumerated().map { i, item in
            AgendaItemContext(
                number: i + 1, title: item.title, rule: item.rule.description, prompts: item.prompts,
                hasPrompts: !item.prompts.isEmpty,
                fields: item.perChild
                    ? loaded.children.map { child in state.field(key(item, child: child), child.name).with(rows: 4, labelSize: "s") }
                    : [state.field(key(item, child: nil), "Notes").with(rows: 5)])
        }
        let page = AgendaPage(action: SiteURL.discussionPart(loaded.id, .agenda).path, version: loaded.discussion.lockVersion,
                              reference: loaded.discussion.reference, items: items)
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
                sections[RecordContent.key(item.id, child: child?.id)] = form[key(item, child: child)]
            }
        }
        do {
            try await Operations.saveSections(req.lifecycle, loaded, sections, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await renderAgenda(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .agenda).path + "?done=saved")
    }

    struct ChecklistItemContext: Encodable {
        let section: String
        let answer: ChoiceContext
        let note: FieldContext
        let rule: String
        let required: Bool
    }

    struct ChecklistPage: Encodable {
        let action: String
        let version: Int
        let reference: String
        let items: [ChecklistItemContext]
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
        let options = ChecklistResponse.allCases.map { ($0.rawValue, $0.label) }
        let items = loaded.pack.checklist.map { item in
            var answer = state.radios("checklist." + item.id, item.text, options: options)
            answer.inline = true
            answer.small = true
            return ChecklistItemContext(section: item.section ?? "", answer: answer,
                                        note: state.field("checklist." + item.id + ".note", "Note (optional)"),
                                        rule: item.rule.description, required: item.requiredForFinal)
        }
        let page = ChecklistPage(action: SiteURL.discussionPart(loaded.id, .checklist).path,
                                 version: loaded.discussion.lockVersion, reference: loaded.discussion.reference, items: items)
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
