import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 8: follow-up. The case timeline and every duty with its due time, status and rule
/// (the timescale engine); review discussions linked to the first; s47 completion, ICPC,
/// assessment and LADO referral; late items demanding a rationale (TIME-000-01) and
/// deadlines changed only with a manager's recorded agreement (INT-ALL-06).
enum CaseController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("cases", ":id", use: show)
        routes.post("cases", ":id", "events", use: addEvent)
        routes.post("cases", ":id", "reviews", use: requestReview)
        routes.post("cases", ":id", "notes", use: addNote)
        routes.post("cases", ":id", "transfer", use: transfer)
        routes.get("cases", ":id", "immediate-protection", use: showImmediate)
        routes.post("cases", ":id", "immediate-protection", use: addImmediate)
    }

    struct DiscussionRow: Encodable {
        let reference: String
        let href: String
        let stage: Display.Tag
        let when: String
        let kind: String
    }

    struct TimelineItem: Encodable {
        let time: String
        let title: String
        let body: String
    }

    struct Page: Encodable {
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

    @Sendable static func show(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .viewDiscussion)
        try await req.logView(loaded, "case", detail: "case timeline")
        return try await render(req, loaded, timeline, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, state: FormState,
                       errors: [InputError] = []) async throws -> Response {
        let pack = loaded.pack
        let overview = try await Operations.caseOverview(req.lifecycle, loaded, timeline)
        let page = Page(
            reference: timeline.caseRecord.reference,
            children: Display.children(loaded.childDetails, today: EuropeLondon.localDate(of: req.now)),
            deadlines: overview.deadlines,
            discussions: timeline.discussions.map {
                DiscussionRow(reference: $0.reference, href: SiteURL.discussion($0.id!).path, stage: Display.tag($0.stage),
                              when: Display.when($0),
                              kind: $0.sequence == 1 ? "Initial" : "Review")
            },
            timeline: overview.history.entries.map { TimelineItem(time: UKDisplay.dateTime($0.at), title: $0.title, body: $0.body) },
            canFollowUp: loaded.allows(.recordFollowUp), canOverride: loaded.allows(.overrideDeadline),
            canProtect: loaded.allows(.recordImmediateProtection),
            eventAction: SiteURL.casePart(timeline.caseRecord.id!, .events).path,
            reviewAction: SiteURL.casePart(timeline.caseRecord.id!, .reviews).path,
            noteAction: SiteURL.casePart(timeline.caseRecord.id!, .notes).path,
            protectionHref: SiteURL.casePart(timeline.caseRecord.id!, .immediateProtection).path,
            eventType: state.radios("type", "What happened", options: [
                (EventType.s47Completed.rawValue, "Section 47 enquiry completed"), (EventType.icpcHeld.rawValue, "Initial child protection conference held"),
                (EventType.assessmentCompleted.rawValue, "Assessment completed"), (EventType.ladoReferralMade.rawValue, "Referral made to the LADO"),
            ]),
            eventAt: state.date("at", "When", hint: "UK time", withTime: true),
            icpcRequired: {
                var c = state.radios("icpcRequired", "For a completed section 47 enquiry: did it decide an ICPC is needed?",
                                     options: [("yes", "Yes"), ("no", "No")])
                c.inline = true
                return c
            }(),
            eventNote: state.field("note", "Note (optional)").with(rows: 2),
            reviewUrgency: state.radios("urgency", "How urgent", options: pack.request.urgencies.filter { $0.urgency != .other }
                .map { ($0.urgency.rawValue, $0.label) }),
            reviewReason: state.field("reason", "Why a review discussion is needed").with(rows: 3),
            noteDuty: state.radios("duty", "Which deadline", options: [("", "Choose the deadline")] + overview.dutyChoices.map { ($0.value, $0.label) }),
            noteKind: state.radios("kind", "What are you recording", options: [
                ("late-reason", "The reason it was, or will be, late"),
            ] + (loaded.allows(.overrideDeadline) ? [("override", "A changed deadline, agreed by me as the manager")] : [])),
            noteDue: state.date("due", "For a changed deadline: the new date and time", withTime: true),
            noteText: state.field("text", "Reason").with(rows: 3),
            team: overview.team?.name ?? "",
            canTransfer: loaded.allows(.transferCase),
            transferAction: SiteURL.casePart(timeline.caseRecord.id!, .transfer).path,
            toTeam: state.radios("toTeam", "Move the case to", options: [("", "Choose the team")]
                + overview.teams.filter { $0.id != timeline.caseRecord.$team.id }.map { ($0.id!.slug, "\($0.name) (\($0.locality))") }),
            transferReason: state.field("transferReason", "Why it moves",
                                        hint: "The new team gains access; your team keeps read access to what it held (REQ-003-01)").with(rows: 2))
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("case", title: "Case \(timeline.caseRecord.reference)", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func addEvent(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .recordFollowUp)
        let form = try FormData(req)
        var checks = FieldChecks()
        let at = form.dateTime("at", label: "When", &checks)
        do {
            try checks.finish()
            _ = try await Operations.addCaseEvent(req.lifecycle, loaded, timeline, type: EventType(rawValue: form["type"]), at: at,
                                                  icpcRequired: form.yesNo("icpcRequired").map { $0 == .yes }, note: form["note"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.caseOverview(timeline.caseRecord.id!).path + "?done=event")
    }

    @Sendable static func requestReview(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .recordFollowUp)
        let form = try FormData(req)
        do {
            let id = try await Operations.requestReview(req.lifecycle, loaded, timeline, urgency: Urgency(rawValue: form["urgency"]),
                                                        reason: form["reason"])
            return req.redirect(to: SiteURL.discussion(id).path + "?done=review")
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
    }

    @Sendable static func addNote(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .recordFollowUp)
        let form = try FormData(req)
        var checks = FieldChecks()
        let parts = form["duty"].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let kind = DutyNote.Kind(rawValue: form["kind"])
        let due = kind == .override ? form.dateTime("due", label: "The new deadline", &checks) : nil
        do {
            try checks.finish()
            try await Operations.addDutyNote(req.lifecycle, loaded, timeline, duty: parts.first.flatMap { Duty(rawValue: $0) },
                                             discussionKey: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil, kind: kind, due: due,
                                             text: form["text"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.caseOverview(timeline.caseRecord.id!).path + "?done=note")
    }

    // MARK: Immediate protection (IMM-000-01, IMM-000-02, TRIG-000-01)

    struct ImmediatePage: Encodable {
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

    @Sendable static func showImmediate(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .recordImmediateProtection)
        return try await renderImmediate(req, loaded, timeline, state: FormState())
    }

    static func renderImmediate(_ req: Request, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, state: FormState,
                                errors: [InputError] = []) async throws -> Response {
        func yesNo(_ name: String, _ legend: String) -> ChoiceContext {
            var c = state.radios(name, legend, options: [("yes", "Yes"), ("no", "No")])
            c.inline = true
            return c
        }
        let page = ImmediatePage(
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
                                              hint: "This authority stays responsible until the other accepts in writing (IMM-000-02)"),
            accepted: yesNo("accepted", "Has the other authority accepted responsibility in writing?"))
        return try await req.page("immediate-protection", title: "Record immediate protection", page, errors: errors,
                                  backLink: SiteURL.caseOverview(timeline.caseRecord.id!).path)
    }

    @Sendable static func addImmediate(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .recordImmediateProtection)
        let form = try FormData(req)
        var checks = FieldChecks()
        let at = form.dateTime("at", label: "When", &checks)
        if form.yesNo("childSeen") == nil { checks.fail("childSeen", "Say whether the child was seen") }
        if form.yesNo("legalAdvice") == nil { checks.fail("legalAdvice", "Say whether legal advice was obtained") }
        let record = ImmediateProtection.Power(rawValue: form["power"]).map { power in
            ImmediateProtection(power: power, agency: form["agency"], takenBy: form["takenBy"].trimmed,
                                childLocation: form["childLocation"].trimmed, childSeen: form.yesNo("childSeen") == .yes,
                                legalAdvice: form.yesNo("legalAdvice") == .yes, otherChildren: form["otherChildren"].trimmed,
                                responsibleAuthority: form["responsibleAuthority"].trimmed,
                                responsibilityAcceptedInWriting: form.yesNo("accepted") == .yes)
        }
        do {
            _ = try await Operations.addImmediateProtection(req.lifecycle, loaded, timeline, record, at: at, formErrors: checks.errors)
        } catch let failure as ValidationFailure {
            return try await renderImmediate(req, loaded, timeline, state: FormState(form: form, errors: failure.errors),
                                             errors: failure.errors)
        }
        return req.redirect(to: SiteURL.caseOverview(timeline.caseRecord.id!).path + "?done=protection")
    }

    /// REQ-003-01: a manager moves the case to another team.
    @Sendable static func transfer(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .transferCase)
        let form = try FormData(req)
        do {
            try await Operations.transferCase(req.lifecycle, loaded, toTeam: UUID(uuidString: form["toTeam"]), reason: form["transferReason"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.caseOverview(timeline.caseRecord.id!).path + "?done=transferred")
    }
}
