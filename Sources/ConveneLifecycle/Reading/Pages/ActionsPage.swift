import ConveneCore
import ConveneStore
import Foundation

/// Step 6's page: the SMART actions (ACT-ALL-01) and the safety plan (ACT-ALL-02) of a
/// discussion, the summary sent to the attendees (ACT-003-01), and the form for another.
public struct ActionsPage: Encodable, Sendable {
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
    /// `meeting` when the forms return to the meeting page; empty for this page.
    let returnTo: String
}

extension ActionsPage {
    /// The stored monitoring notes, and a new item's kind preset to an action.
    public static func values(_ loaded: LoadedDiscussion) -> FormState {
        var state = FormState()
        state.values["kind"] = "action"
        state.values["monitoredBy"] = loaded.discussion.content.monitoredBy
        state.values["safetyPlanNotRequiredReason"] = loaded.discussion.content.safetyPlanNotRequiredReason
        return state
    }

    public init(_ loaded: LoadedDiscussion, actions: [ActionRecord], people: [Person], state: FormState, csrf: String, now: Date,
                returnTo: String = "") {
        let d = loaded.discussion
        let pack = loaded.pack
        let today = EuropeLondon.localDate(of: now)
        let editable = d.stage.recordEditable
        let rows = actions.map { ActionRow($0, pack: pack, today: today, discussionID: loaded.id, editable: editable) }
        self.init(
            reference: d.reference, version: d.lockVersion, editable: editable,
            actions: ActionTable(zip(actions, rows).filter { $0.0.kind == .action }.map(\.1), csrf: csrf, returnTo: returnTo,
                                 state: state),
            safetyPlan: ActionTable(zip(actions, rows).filter { $0.0.kind == .safetyPlan }.map(\.1), csrf: csrf, returnTo: returnTo,
                                    state: state),
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
            safetyPlanNotRequiredReason: state.field("safetyPlanNotRequiredReason", "If no safety plan is needed: why"),
            returnTo: returnTo)
    }
}

/// One action as the responsible person sees it, with the form for its progress (ACT-ALL-03).
public struct ActionPage: Encodable, Sendable {
    let row: ActionRow
    let reference: String
    let discussionHref: String
    let status: ChoiceContext
    let canUpdate: Bool
    let note: FieldContext
    let action: String
    let history: String
}

extension ActionPage {
    public init(_ loaded: LoadedAction, pack: ProcedurePack, state: FormState, now: Date) {
        let (action, discussion) = (loaded.action, loaded.discussion)
        self.init(
            row: ActionRow(action, pack: pack, today: EuropeLondon.localDate(of: now), discussionID: discussion.id!, editable: false),
            reference: discussion.reference,
            discussionHref: loaded.allows(.viewDiscussion) ? SiteURL.discussion(discussion.id!).path : "",
            status: loaded.allows(.updateActionStatus)
                ? state.radios("status", "Progress", options: SmartAction.Status.allCases.filter { $0 != .cancelled }.map { ($0.rawValue, $0.label) })
                : state.radios("status", "Progress", options: []),
            canUpdate: loaded.allows(.updateActionStatus) && action.status != .cancelled,
            note: state.field("note", "Progress note").with(rows: 3),
            action: SiteURL.action(action.id!).path,
            history: action.completedAt.map { "Completed " + UKDisplay.dateTime($0) } ?? "")
    }
}
