import ConveneCore
import ConveneStore
import Foundation

/// Step 8 as the case page shows it: the case timeline and every duty with its due time,
/// status and rule, the discussions of the case, and the forms for follow-up events, a review
/// discussion, a late reason or changed deadline, and moving the case to another team.
public struct CasePage: Encodable, Sendable {
    struct DiscussionRow: Encodable, Sendable {
        let reference: String
        let href: String
        let stage: Display.Tag
        let when: String
        let kind: String
    }

    struct TimelineItem: Encodable, Sendable {
        let time: String
        let title: String
        let body: String
    }

    let reference: String
    let children: String
    let deadlines: [Display.Deadline]
    let discussions: [DiscussionRow]
    let timeline: [TimelineItem]
    let canFollowUp: Bool
    let canOverride: Bool
    let canProtect: Bool
    let eventAction: String
    let reviewAction: String
    let noteAction: String
    let protectionHref: String
    let eventType: ChoiceContext
    let eventAt: DateFieldContext
    let icpcRequired: ChoiceContext
    let eventNote: FieldContext
    let reviewUrgency: ChoiceContext
    let reviewReason: FieldContext
    let noteDuty: ChoiceContext
    let noteKind: ChoiceContext
    let noteDue: DateFieldContext
    let noteText: FieldContext
    /// REQ-003-01: the team that has the case, and moving it to another.
    let team: String
    let canTransfer: Bool
    let transferAction: String
    let toTeam: ChoiceContext
    let transferReason: FieldContext
}

extension CasePage {
    public init(_ loaded: LoadedDiscussion, _ timeline: CaseTimeline, overview: Operations.CaseOverview, state: FormState,
                today: LocalDate) {
        let pack = loaded.pack
        let caseID = timeline.caseRecord.id!
        self.init(
            reference: timeline.caseRecord.reference,
            children: Display.children(loaded.childDetails, today: today),
            deadlines: overview.deadlines,
            discussions: timeline.discussions.map {
                DiscussionRow(reference: $0.reference, href: SiteURL.discussion($0.id!).path, stage: Display.tag($0.stage),
                              when: Display.when($0),
                              kind: $0.sequence == 1 ? "Initial" : "Review")
            },
            timeline: overview.history.entries.map { TimelineItem(time: UKDisplay.dateTime($0.at), title: $0.title, body: $0.body) },
            canFollowUp: loaded.allows(.recordFollowUp), canOverride: loaded.allows(.overrideDeadline),
            canProtect: loaded.allows(.recordImmediateProtection),
            eventAction: SiteURL.casePart(caseID, .events).path,
            reviewAction: SiteURL.casePart(caseID, .reviews).path,
            noteAction: SiteURL.casePart(caseID, .notes).path,
            protectionHref: SiteURL.casePart(caseID, .immediateProtection).path,
            eventType: state.radios("type", "What happened", options: [
                (EventType.s47Completed.rawValue, "Section 47 enquiry completed"), (EventType.icpcHeld.rawValue, "Initial child protection conference held"),
                (EventType.assessmentCompleted.rawValue, "Assessment completed"), (EventType.ladoReferralMade.rawValue, "Referral made to the LADO"),
            ]),
            eventAt: state.date("at", "When", hint: "UK time", withTime: true),
            icpcRequired: state.radios("icpcRequired", "For a completed section 47 enquiry: did it decide an ICPC is needed?",
                                       options: [("yes", "Yes"), ("no", "No")]).inlined(),
            eventNote: state.field("note", "Anything else about what happened (optional)").with(rows: 2),
            reviewUrgency: state.radios("urgency", "How urgent", options: pack.request.urgencies.filter { $0.urgency != .other }
                .map { ($0.urgency.rawValue, $0.label) }),
            reviewReason: state.field("reason", "Why a review discussion is needed").with(rows: 3),
            noteDuty: state.radios("duty", "Which deadline", options: [("", "Choose the deadline")] + overview.dutyChoices.map { ($0.value, $0.label) }),
            noteKind: state.radios("kind", "What are you recording", options: [
                ("late-reason", "The reason it was, or will be, late"),
            ] + (loaded.allows(.overrideDeadline) ? [("override", "A changed deadline, agreed by me as the manager")] : [])),
            noteDue: state.date("due", "For a changed deadline: the new date and time", withTime: true),
            noteText: state.field("text", "Why it was late, or why the deadline changed").with(rows: 3),
            team: overview.team?.name ?? "",
            canTransfer: loaded.allows(.transferCase),
            transferAction: SiteURL.casePart(caseID, .transfer).path,
            toTeam: state.radios("toTeam", "Move the case to", options: [("", "Choose the team")]
                + overview.teams.filter { $0.id != timeline.caseRecord.$team.id }.map { ($0.id!.slug, "\($0.name) (\($0.locality))") }),
            transferReason: state.field("transferReason", "Why it moves",
                                        hint: "The new team gains access; your team keeps read access to what it held").with(rows: 2)) // REQ-003-01
    }
}

/// Immediate protection (IMM-000-01, IMM-000-02, TRIG-000-01): the form recording the action
/// taken to protect a child before the discussion.
public struct ImmediateProtectionPage: Encodable, Sendable {
    let reference: String
    let action: String
    let power: ChoiceContext
    let agency: ChoiceContext
    let takenBy: FieldContext
    let at: DateFieldContext
    let childLocation: FieldContext
    let childSeen: ChoiceContext
    let legalAdvice: ChoiceContext
    let otherChildren: FieldContext
    let responsibleAuthority: FieldContext
    let accepted: ChoiceContext
}

extension ImmediateProtectionPage {
    public init(_ loaded: LoadedDiscussion, _ timeline: CaseTimeline, state: FormState) {
        func yesNo(_ name: String, _ legend: String) -> ChoiceContext {
            state.radios(name, legend, options: [("yes", "Yes"), ("no", "No")]).inlined()
        }
        self.init(
            reference: timeline.caseRecord.reference, action: SiteURL.casePart(timeline.caseRecord.id!, .immediateProtection).path,
            power: state.radios("power", "What action was taken", options: ImmediateProtection.Power.allCases.map { ($0.rawValue, $0.label) }),
            agency: state.radios("agency", "By which agency", options: [("", "Choose the agency")]
                + loaded.pack.agencies.filter { ImmediateProtection.actingAgencies.contains($0.id) }
                .map { ($0.id, $0.name) }),
            takenBy: state.field("takenBy", "By whom").with(width: "20"),
            at: state.date("at", "When", hint: "UK time", withTime: true),
            childLocation: state.field("childLocation", "Where the child is now"),
            childSeen: yesNo("childSeen", "Was the child seen by the agency taking the action?"),
            legalAdvice: yesNo("legalAdvice", "Was legal advice obtained?"),
            otherChildren: state.field("otherChildren", "Other children in the household or of the alleged perpetrator: how they were considered").with(rows: 3),
            responsibleAuthority: state.field("responsibleAuthority", "If another authority looks after the child or holds their plan: which, and who was consulted",
                                              hint: "This authority stays responsible until the other accepts in writing"), // IMM-000-02
            accepted: yesNo("accepted", "Has the other authority accepted responsibility in writing?"))
    }
}
