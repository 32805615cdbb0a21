import ConveneCore
import ConveneStore
import Foundation

/// The chair's meeting on one page (issue 14): attendance and quoracy at the top, then the
/// pack's agenda in order (child by child where the pack asks) with each checklist question
/// beside the agenda item it belongs to, each child's decisions, the SMART actions and safety
/// plan, and what is still missing before the record can be finalised. Every section is a
/// plain form that returns to its own place on this page; the page's script saves the agenda
/// as the chair types.
public struct MeetingPage: Encodable, Sendable {
    /// A section's submitted values, shown again with their errors instead of the stored ones.
    public enum Override: Sendable {
        case attendance(FormState)
        case notes(FormState)
        case decisions(child: UUID, FormState)
        case actions(FormState)
        /// One child's decisions form filled from a sibling's stored decisions, not yet saved.
        case copy(from: UUID, to: UUID)
    }

    struct AgendaSection: Encodable, Sendable {
        let anchor: String
        let number: Int
        let title: String
        let why: String
        let prompts: [String]
        let hasPrompts: Bool
        let fields: [FieldContext]
        let checklist: [ChecklistPage.ChecklistItemContext]
        let hasChecklist: Bool
    }

    struct ChildSection: Encodable, Sendable {
        let anchor: String
        let childName: String
        let form: ChildDecisionsPage
        /// "Copy the decisions for <previous child>", where there is an earlier child with some.
        let copyHref: String
        let copyFrom: String
        /// The form holds a sibling's decisions, copied and not yet saved.
        let copiedFrom: String
    }

    struct RequestSummary: Encodable, Sendable {
        let key: String
        let value: String
    }

    let id: String
    let reference: String
    let meetingName: String
    let version: Int
    let returnTo: String
    let request: [RequestSummary]
    let attendance: AttendancePage
    let notesAction: String
    let agenda: [AgendaSection]
    let otherChecklist: [ChecklistPage.ChecklistItemContext]
    let hasOtherChecklist: Bool
    let monitoredBy: FieldContext
    let safetyPlanNotRequiredReason: FieldContext
    let decisionsOpen: Bool
    let children: [ChildSection]
    let actions: ActionsPage
    /// A review discussion's open actions from the discussions before it, to review.
    let earlierActions: ActionTable
    let hasEarlierActions: Bool
    let missing: [ErrorLink]
    let noneMissing: Bool
    let missingCount: String
    let canFinalise: Bool
    let finaliseAction: String
    let recordHref: String
    let taskListHref: String
}

extension MeetingPage {
    /// The value of the hidden `return` field that brings a section's save back to this page.
    public static let returnValue = "meeting"

    public init(_ loaded: LoadedDiscussion, _ overview: Operations.MeetingOverview, override: Override? = nil, csrf: String, now: Date) {
        let d = loaded.discussion
        let pack = loaded.pack
        let id = loaded.id

        var attendanceState = AttendancePage.values(loaded, now: now)
        var notesState = AgendaPage.values(loaded)
        notesState.values["monitoredBy"] = d.content.monitoredBy
        notesState.values["safetyPlanNotRequiredReason"] = d.content.safetyPlanNotRequiredReason
        var actionsState = ActionsPage.values(loaded)
        var decisionStates: [UUID: FormState] = [:]
        var copied: [UUID: String] = [:]
        let stored = Dictionary(overview.snapshot.decisions.map { ($0.childID, $0.decision) }, uniquingKeysWith: { a, _ in a })
        switch override {
        case let .attendance(state): attendanceState = state
        case let .notes(state): notesState = state
        case let .actions(state): actionsState = state
        case let .decisions(child, state): decisionStates[child] = state
        case let .copy(from, to):
            if let source = stored[from], let target = loaded.children.first(where: { $0.id == to }),
               let sourceChild = loaded.children.first(where: { $0.id == from }) {
                decisionStates[to] = ChildDecisionsPage.values(source, prefix: ChildDecisionsPage.prefix(target))
                copied[to] = sourceChild.name
            }
        case nil: break
        }

        let agendaIDs = Set(pack.agenda.map(\.id))
        let agenda = pack.agenda.enumerated().map { i, item in
            let questions = pack.checklist.filter { $0.agendaItem == item.id }.map { ChecklistPage.item($0, state: notesState) }
            return AgendaSection(
                anchor: "agenda-" + item.id, number: i + 1, title: item.title,
                why: "\(item.rule) (\(item.source))", prompts: item.prompts, hasPrompts: !item.prompts.isEmpty,
                fields: AgendaPage.fields(item, loaded, state: notesState),
                checklist: questions, hasChecklist: !questions.isEmpty)
        }
        let others = pack.checklist.filter { $0.agendaItem.map { !agendaIDs.contains($0) } ?? true }
            .map { ChecklistPage.item($0, state: notesState) }

        var children: [ChildSection] = []
        for (i, child) in loaded.children.enumerated() {
            let childID = child.id!
            let decision = stored[childID] ?? ChildDecision()
            let state = decisionStates[childID] ?? ChildDecisionsPage.values(decision, prefix: ChildDecisionsPage.prefix(child))
            let previous = loaded.children[..<i].last { stored[$0.id!] != nil }
            children.append(ChildSection(
                anchor: "decisions-" + childID.slug, childName: child.name,
                form: ChildDecisionsPage(loaded, child: child, state: state, decision: decision, now: now),
                copyHref: previous.map {
                    SiteURL.discussionPart(id, .meeting).path + "?copy=\($0.id!.slug)&to=\(childID.slug)#decisions-\(childID.slug)"
                } ?? "",
                copyFrom: previous?.name ?? "",
                copiedFrom: copied[childID] ?? ""))
        }

        let missing = overview.missing.map { ErrorLink(href: Self.anchor(for: $0), text: $0.message) }
        self.init(
            id: id.slug, reference: d.reference, meetingName: pack.meetingName, version: d.lockVersion,
            returnTo: Self.returnValue,
            request: Self.requestSummary(loaded, today: EuropeLondon.localDate(of: now)),
            attendance: AttendancePage(loaded, state: attendanceState),
            notesAction: SiteURL.discussionPart(id, .meeting).path,
            agenda: agenda, otherChecklist: others, hasOtherChecklist: !others.isEmpty,
            monitoredBy: notesState.field("monitoredBy", "Who monitors the progress of the enquiry overall, and how").with(rows: 2),
            safetyPlanNotRequiredReason: notesState.field("safetyPlanNotRequiredReason", "If no safety plan is needed: why")
                .with(rows: 2),
            decisionsOpen: d.quoracy?.allowsDecisions ?? false,
            children: children,
            actions: ActionsPage(loaded, actions: overview.actions, people: overview.people, state: actionsState, csrf: csrf,
                                 now: now, returnTo: Self.returnValue),
            earlierActions: ActionTable(overview.openEarlierActions.map {
                ActionRow($0, pack: pack, today: EuropeLondon.localDate(of: now), discussionID: $0.$discussion.id, editable: false)
            }, csrf: csrf),
            hasEarlierActions: !overview.openEarlierActions.isEmpty,
            missing: missing, noneMissing: missing.isEmpty,
            missingCount: Display.count(missing.count, "thing"),
            canFinalise: overview.canFinalise,
            finaliseAction: SiteURL.discussionPart(id, .finalise).path,
            recordHref: SiteURL.discussionPart(id, .record).path,
            taskListHref: SiteURL.discussion(id).path)
    }

    /// Where on this page a missing part of the record is put right.
    public static func anchor(for error: InputError) -> String {
        let path = error.field.description
        if path.hasPrefix("attendance") || path.hasPrefix("quoracy") { return "#attendance" }
        if path.hasPrefix("checklist") || path.hasPrefix("sections") || path.hasPrefix("decisions.") {
            return "#" + error.field.htmlID
        }
        if path.hasPrefix("monitoredBy") || path.hasPrefix("safetyPlan") { return "#monitoring" }
        return "#actions"
    }

    /// What the request already says, so that the meeting does not ask for it again.
    static func requestSummary(_ loaded: LoadedDiscussion, today: LocalDate) -> [RequestSummary] {
        let r = loaded.discussion.request
        var rows: [RequestSummary] = [
            .init(key: "Children", value: Display.children(loaded.childDetails, today: today)),
            .init(key: "Reason for the \(loaded.pack.meetingName)", value: r.presentingIssue),
        ]
        if !r.rationale.isBlank { rows.append(.init(key: "Why a \(loaded.pack.meetingName) is needed", value: r.rationale)) }
        if !r.parentsCarers.isEmpty {
            rows.append(.init(key: "Parents and carers", value: r.parentsCarers.map(\.name).joined(separator: "; ")))
        }
        if !r.otherAdults.isEmpty {
            rows.append(.init(key: "Other adults", value: r.otherAdults.map { $0.name + ($0.checks.isBlank ? "" : " (checks: \($0.checks))") }
                .joined(separator: "; ")))
        }
        if !r.otherChildren.isEmpty {
            rows.append(.init(key: "Other children in the household", value: r.otherChildren.map(\.name).joined(separator: "; ")))
        }
        if !r.checksRequested.isBlank { rows.append(.init(key: "Agency checks asked for", value: r.checksRequested)) }
        return rows
    }
}
