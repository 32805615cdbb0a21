import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 6: SMART actions (ACT-ALL-01) and the safety plan (ACT-ALL-02), the summary of agreed
/// actions sent to the attendees (ACT-003-01), and progress updates by the responsible person.
enum ActionsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "actions", use: show)
        routes.post("discussions", ":id", "actions", use: add)
        routes.post("discussions", ":id", "actions", ":action", "cancel", use: cancel)
        routes.post("discussions", ":id", "actions", "monitoring", use: monitoring)
        routes.post("discussions", ":id", "actions", "summary", use: sendSummary)
        routes.get("actions", ":action", use: showAction)
        routes.post("actions", ":action", use: updateStatus)
    }

    struct Page: Encodable {
        let reference: String
        let version: Int
        let editable: Bool
        let actions: ActionTable
        let safetyPlan: ActionTable
        let noActions: Bool
        let noSafetyPlan: Bool
        let addAction: String
        let monitoringAction: String
        let summaryAction: String
        let summarySent: String
        let kind: ChoiceContext
        let term: ChoiceContext
        let what: FieldContext
        let owner: ChoiceContext
        let ownerName: FieldContext
        let agency: ChoiceContext
        let due: DateFieldContext
        let purpose: FieldContext
        let review: FieldContext
        let child: ChoiceContext
        let hasChildren: Bool
        let monitoredBy: FieldContext
        let safetyPlanNotRequiredReason: FieldContext
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        var state = FormState()
        state.values["kind"] = "action"
        state.values["monitoredBy"] = loaded.discussion.content.monitoredBy
        state.values["safetyPlanNotRequiredReason"] = loaded.discussion.content.safetyPlanNotRequiredReason
        return try await render(req, loaded, state: state)
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let d = loaded.discussion
        let pack = loaded.pack
        let actions = try await RecordBuilder.actions(loaded.id, on: req.db)
        let today = EuropeLondon.localDate(of: req.now)
        let editable = d.stage.recordEditable
        let people = try await Operations.invitedPeople(req.lifecycle, loaded)
        let rows = actions.map { ActionRow($0, pack: pack, today: today, discussionID: loaded.id, editable: editable) }
        let page = Page(
            reference: d.reference, version: d.lockVersion, editable: editable,
            actions: ActionTable(zip(actions, rows).filter { $0.0.kind == .action }.map(\.1), csrf: req.csrfToken),
            safetyPlan: ActionTable(zip(actions, rows).filter { $0.0.kind == .safetyPlan }.map(\.1), csrf: req.csrfToken),
            noActions: !actions.contains { $0.kind == .action }, noSafetyPlan: !actions.contains { $0.kind == .safetyPlan },
            addAction: SiteURL.discussionPart(loaded.id, .actions).path,
            monitoringAction: SiteURL.discussionPart(loaded.id, .actions).path + "/monitoring",
            summaryAction: SiteURL.discussionPart(loaded.id, .actions).path + "/summary",
            summarySent: d.content.actionSummaryIssuedAt.map { "Summary sent " + UKDisplay.dateTime($0) } ?? "",
            kind: state.radios("kind", "Is this an action or part of the safety plan?", options: [
                ("action", "A SMART action"), ("safety-plan", "Part of the safety plan (who does what by when to keep the child safe)"),
            ]),
            term: state.radios("term", "For the safety plan: immediate or short term?",
                               options: SmartAction.Term.allCases.map { ($0.rawValue, $0.label) }),
            what: state.field("what", "What will be done (specific)").with(rows: 2),
            owner: state.radios("owner", "Named person responsible", options: [("", "Choose someone invited")]
                + people.map { ($0.id!.slug, "\($0.name) – \(pack.agencyName($0.agency))") }),
            ownerName: state.field("ownerName", "Or type their name").with(width: "20"),
            agency: state.radios("agency", "Their agency", options: [("", "Choose the agency")] + pack.agencies.map { ($0.id, $0.name) }),
            due: state.date("due", "Due by", hint: "For example, 27 11 2026"),
            purpose: state.field("purpose", "What it is for (the purpose)").with(rows: 2),
            review: state.field("review", "How and when progress is reviewed", hint: "Not needed for safety plan items").with(rows: 2),
            child: state.radios("child", "Which child (optional)", options: [("", "All the children")]
                + loaded.children.map { ($0.id!.slug, $0.name) }),
            hasChildren: loaded.children.count > 1,
            monitoredBy: state.field("monitoredBy", "Who monitors the progress of the enquiry overall, and how"),
            safetyPlanNotRequiredReason: state.field("safetyPlanNotRequiredReason", "If no safety plan is needed: why"))
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("actions", title: "Actions and safety plan", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func add(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        var checks = FieldChecks()
        let due = form.date("due", label: "The due date", &checks)
        let action = SmartAction(kind: SmartAction.Kind(rawValue: form["kind"]) ?? .action, term: SmartAction.Term(rawValue: form["term"]),
                                 what: form["what"].trimmed, owner: form["ownerName"].trimmed,
                                 ownerPersonID: UUID(uuidString: form["owner"]), agency: form["agency"], due: due,
                                 purpose: form["purpose"].trimmed, review: form["review"].trimmed, childID: UUID(uuidString: form["child"]))
        do {
            try checks.finish()
            _ = try await Operations.addAction(req.lifecycle, loaded, action)
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .actions).path + "?done=action")
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try await Operations.cancelAction(req.lifecycle, loaded, actionID: try req.uuid("action"))
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .actions).path + "?done=action")
    }

    @Sendable static func monitoring(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        do {
            try await Operations.saveMonitoring(req.lifecycle, loaded, monitoredBy: form["monitoredBy"],
                                                safetyPlanNotRequiredReason: form["safetyPlanNotRequiredReason"],
                                                expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .actions).path + "?done=saved")
    }

    @Sendable static func sendSummary(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try await Operations.sendActionSummary(req.lifecycle, loaded)
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .actions).path + "?done=summary")
    }

    // MARK: Progress by the responsible person (ACT-ALL-03)

    struct ActionPage: Encodable {
        let row: ActionRow
        let reference: String
        let discussionHref: String
        let status: ChoiceContext
        let canUpdate: Bool
        let note: FieldContext
        let action: String
        let history: String
    }

    @Sendable static func showAction(req: Request) async throws -> Response {
        let loaded = try await LoadedAction.load(try req.uuid("action"), req.lifecycle)
        return try await renderAction(req, loaded, state: FormState(values: ["status": loaded.action.status.rawValue,
                                                                             "note": loaded.action.statusNote]))
    }

    static func renderAction(_ req: Request, _ loaded: LoadedAction, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let (action, discussion) = (loaded.action, loaded.discussion)
        let pack = try await req.lifecycle.pack(ofOrganisation: discussion.organisationID)
        try await req.logRead(loaded.read(), discussion: discussion.id)
        let page = ActionPage(
            row: ActionRow(action, pack: pack, today: EuropeLondon.localDate(of: req.now), discussionID: discussion.id!, editable: false),
            reference: discussion.reference,
            discussionHref: loaded.allows(.viewDiscussion) ? SiteURL.discussion(discussion.id!).path : "",
            status: loaded.allows(.updateActionStatus)
                ? state.radios("status", "Progress", options: SmartAction.Status.allCases.filter { $0 != .cancelled }.map { ($0.rawValue, $0.label) })
                : state.radios("status", "Progress", options: []),
            canUpdate: loaded.allows(.updateActionStatus) && action.status != .cancelled,
            note: state.field("note", "Progress note").with(rows: 3),
            action: SiteURL.action(action.id!).path,
            history: action.completedAt.map { "Completed " + UKDisplay.dateTime($0) } ?? "")
        return try await req.page("action", title: "Action", page, errors: errors, backLink: SiteURL.myWork.path)
    }

    @Sendable static func updateStatus(req: Request) async throws -> Response {
        let actionID = try req.uuid("action")
        let form = try FormData(req)
        do {
            try await Operations.updateActionStatus(req.lifecycle, actionID: actionID, status: SmartAction.Status(rawValue: form["status"]),
                                                    note: form["note"])
        } catch let failure as ValidationFailure {
            let loaded = try await LoadedAction.load(actionID, req.lifecycle)
            return try await renderAction(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.action(actionID).path)
    }
}
