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
        routes.get("cases", ":id", "immediate-protection", use: showImmediate)
        routes.post("cases", ":id", "immediate-protection", use: addImmediate)
    }

    /// The case, reached through its initial discussion's access rules.
    static func load(_ req: Request, for permission: Permission) async throws -> (LoadedDiscussion, CaseTimeline) {
        let caseID = try req.uuid("id")
        guard let first = try await Discussion.query(on: req.db).filter(\.$case.$id == caseID).sort(\.$sequence).first() else {
            throw Abort(.notFound)
        }
        let loaded = try await req.discussion(first.id!, for: permission)
        guard let timeline = try await CaseTimeline.load(caseID: caseID, on: req.db) else { throw Abort(.notFound) }
        return (loaded, timeline)
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
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (loaded, timeline) = try await load(req, for: .viewDiscussion)
        try await req.db.audit([loaded.audit("view", "case", detail: "case timeline")], by: req.actor, now: req.now)
        return try await render(req, loaded, timeline, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, state: FormState,
                       errors: [InputError] = []) async throws -> Response {
        let pack = loaded.pack
        let now = req.now
        let labels = Dictionary(uniqueKeysWithValues: timeline.discussions.map {
            (CaseTimeline.key($0), $0.sequence == 1 ? "initial discussion" : "review \($0.sequence - 1)")
        })
        let duties = timeline.duties(pack: pack, asOf: now)
        let lateReasons = timeline.notes.filter { $0.kind == .lateReason }
        var deadlines = duties.map { Display.deadline($0, now: now, discussionLabels: labels) }
        for (i, duty) in duties.enumerated() {
            if let reason = lateReasons.last(where: { $0.duty == duty.duty && $0.discussionKey == duty.discussion }) {
                let d = deadlines[i]
                deadlines[i] = Display.Deadline(title: d.title, due: d.due, relative: d.relative, rule: d.rule, ruleTitle: d.ruleTitle,
                                                timescale: d.timescale, basis: d.basis, tag: d.tag, fulfilled: d.fulfilled,
                                                overridden: "Reason it was late (\(reason.recordedByName)): \(reason.text)",
                                                late: false, discussion: d.discussion, duty: d.duty)
            }
        }
        var items: [(Date, TimelineItem)] = [(timeline.caseRecord.concernReceivedAt,
                                              TimelineItem(time: UKDisplay.dateTime(timeline.caseRecord.concernReceivedAt),
                                                           title: "Referral or new information received", body: ""))]
        for d in timeline.discussions {
            items.append((d.requestedAt, TimelineItem(time: UKDisplay.dateTime(d.requestedAt), title: "\(d.reference) requested",
                                                      body: d.request.rationale)))
            if let held = d.startedAt {
                items.append((held, TimelineItem(time: UKDisplay.dateTime(held), title: "\(d.reference) held",
                                                 body: CaseTimeline.outcome(timeline.decisions[d.id!] ?? []).flatMap { o in
                                                     pack.outcomes.first { $0.outcome == o }?.label } ?? "")))
            }
            if let at = d.authorisedAt { items.append((at, TimelineItem(time: UKDisplay.dateTime(at), title: "\(d.reference) minutes authorised", body: ""))) }
            if let at = d.circulatedAt { items.append((at, TimelineItem(time: UKDisplay.dateTime(at), title: "\(d.reference) minutes circulated", body: ""))) }
        }
        for e in timeline.events {
            var body = e.details.note
            if let ip = e.details.immediateProtection {
                body = "\(ip.power.label) by \(ip.takenBy) (\(pack.agencyName(ip.agency))). Child now at: \(ip.childLocation). "
                    + "Child seen: \(ip.childSeen ? "yes" : "no"). Legal advice: \(ip.legalAdvice ? "yes" : "no"). " + body
            }
            if let icpc = e.details.icpcRequired { body = (icpc ? "ICPC needed. " : "No ICPC needed. ") + body }
            items.append((e.at, TimelineItem(time: UKDisplay.dateTime(e.at), title: eventTitle(e.type), body: body)))
        }
        let dutyOptions = duties.filter { $0.status != .notRequired }.map { a in
            ((a.duty.rawValue + "|" + (a.discussion ?? "")), a.duty.title + (a.discussion.flatMap { labels[$0] }.map { " – \($0)" } ?? ""))
        }
        let page = Page(
            reference: timeline.caseRecord.reference,
            children: Display.children(loaded.childDetails, today: EuropeLondon.localDate(of: now)),
            deadlines: deadlines,
            discussions: timeline.discussions.map {
                DiscussionRow(reference: $0.reference, href: SiteURL.discussion($0.id!).path, stage: Display.tag($0.stage),
                              when: $0.slotStart.map { UKDisplay.dateTime($0) } ?? "Not booked",
                              kind: $0.sequence == 1 ? "Initial" : "Review")
            },
            timeline: items.sorted { $0.0 < $1.0 }.map(\.1),
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
            noteDuty: state.radios("duty", "Which deadline", options: [("", "Choose the deadline")] + dutyOptions),
            noteKind: state.radios("kind", "What are you recording", options: [
                ("late-reason", "The reason it was, or will be, late"),
            ] + (loaded.allows(.overrideDeadline) ? [("override", "A changed deadline, agreed by me as the manager")] : [])),
            noteDue: state.date("due", "For a changed deadline: the new date and time", withTime: true),
            noteText: state.field("text", "Reason").with(rows: 3))
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("case", title: "Case \(timeline.caseRecord.reference)", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    static func eventTitle(_ type: EventType) -> String {
        switch type {
        case .immediateAction: "Immediate protective action"
        case .ladoReferralMade: "Referral made to the LADO"
        case .s47Completed: "Section 47 enquiry completed"
        case .icpcHeld: "Initial child protection conference held"
        case .assessmentCompleted: "Assessment completed"
        default: type.rawValue
        }
    }

    /// Writes a case-level change with its audit entry, refreshing the deadlines.
    static func write(_ loaded: LoadedDiscussion, _ req: Request, records: [AuditRecord],
                      _ body: @escaping @Sendable (any Database) async throws -> Void) async throws {
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { _, db in
            try await body(db)
            return ((), records)
        }
    }

    @Sendable static func addEvent(req: Request) async throws -> Response {
        let (loaded, timeline) = try await load(req, for: .recordFollowUp)
        let form = try FormData(req)
        var checks = FieldChecks()
        let allowed: [EventType] = [.s47Completed, .icpcHeld, .assessmentCompleted, .ladoReferralMade]
        let type = EventType(rawValue: form["type"]).flatMap { allowed.contains($0) ? $0 : nil }
        if type == nil { checks.fail("type", "Choose what happened") }
        let at = form.dateTime("at", label: "When", &checks)
        if at == nil && checks.isValid { checks.fail("at", "Enter when it happened") }
        if let at, at > req.now.addingTimeInterval(300) { checks.fail("at", "It must not be in the future") }
        if let at, at < timeline.caseRecord.concernReceivedAt { checks.fail("at", "It cannot be before the referral") }
        if type == .s47Completed && form.yesNo("icpcRequired") == nil {
            checks.fail("icpcRequired", "Say whether the enquiry decided an ICPC is needed")
        }
        checks.limit(form["note"], "note", max: 2000)
        guard checks.isValid, let type, let at else {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let details = CaseEventDetails(icpcRequired: type == .s47Completed ? form.yesNo("icpcRequired") == .yes : nil,
                                       note: form["note"].trimmed)
        let caseID = timeline.caseRecord.id!
        let userID = loaded.user.id
        try await write(loaded, req, records: [loaded.audit("case-event", "case", detail: type.rawValue)]) { db in
            try await CaseEvent(caseID: caseID, type: type, at: at, details: details, recordedBy: userID).create(on: db)
        }
        return req.redirect(to: SiteURL.caseOverview(caseID).path + "?done=event")
    }

    /// A review discussion, linked to the first; a manager's request is already agreed.
    @Sendable static func requestReview(req: Request) async throws -> Response {
        let (loaded, timeline) = try await load(req, for: .recordFollowUp)
        let form = try FormData(req)
        var checks = FieldChecks()
        let urgency = Urgency(rawValue: form["urgency"])
        if urgency == nil || urgency == .other { checks.fail("urgency", "Choose how urgent the review is") }
        checks.text(form["reason"], "reason", "Say why a review discussion is needed", max: 8000)
        guard checks.isValid, let urgency else {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let user = loaded.user
        let now = req.now
        guard let first = timeline.discussions.first, let caseID = timeline.caseRecord.id else { throw Abort(.notFound) }
        let sequence = (timeline.discussions.map(\.sequence).max() ?? 1) + 1
        var request = first.request
        request.urgency = urgency
        request.agreedDue = nil
        request.urgencyRationale = ""
        request.rationale = form["reason"].trimmed
        request.children = loaded.childDetails
        let review = Discussion(organisationID: first.organisationID, teamID: first.teamID, caseID: caseID, sequence: sequence,
                                parentID: first.id, reference: timeline.caseRecord.reference + "/\(sequence)", request: request,
                                requestedBy: user.id, requestedAt: now)
        if user.role == .teamManager || user.role == .serviceManager {
            review.stage = .awaitingBooking
            review.decidedBy = user.id
            review.decidedAt = now
            review.decisionReason = "Review agreed by the manager"
            review.chairID = first.chairID ?? user.id
        }
        try await write(loaded, req, records: [loaded.audit("create", "discussion", detail: "review discussion \(review.reference)")]) { db in
            try await review.create(on: db)
        }
        return req.redirect(to: SiteURL.discussion(review.id!).path + "?done=review")
    }

    @Sendable static func addNote(req: Request) async throws -> Response {
        let (loaded, timeline) = try await load(req, for: .recordFollowUp)
        let form = try FormData(req)
        var checks = FieldChecks()
        let parts = form["duty"].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let duty = parts.first.flatMap { Duty(rawValue: $0) }
        let key = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
        if duty == nil { checks.fail("duty", "Choose the deadline") }
        let kind = DutyNote.Kind(rawValue: form["kind"])
        if kind == nil { checks.fail("kind", "Choose what you are recording") }
        var due: Date?
        if kind == .override {
            guard loaded.allows(.overrideDeadline) else {
                throw Abort(.forbidden, reason: "Only a team or service manager can change a deadline (INT-ALL-06).")
            }
            due = form.dateTime("due", label: "The new deadline", &checks)
            if due == nil && checks.isValid { checks.fail("due", "Enter the new deadline") }
        }
        checks.text(form["text"], "text", kind == .override ? "Give the rationale for changing the deadline" : "Give the reason it was late",
                    max: 4000)
        guard checks.isValid, let duty, let kind else {
            return try await render(req, loaded, timeline, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let caseID = timeline.caseRecord.id!
        let user = loaded.user
        let text = form["text"].trimmed
        let newDue = due
        try await write(loaded, req, records: [loaded.audit(kind == .override ? "deadline-override" : "late-reason", "case",
                                                            reason: text, detail: duty.rawValue + (key.map { " " + $0 } ?? ""))]) { db in
            try await DutyNote(caseID: caseID, kind: kind, duty: duty, discussionKey: key, due: newDue, text: text, recordedBy: user.id,
                               recordedByName: user.name).create(on: db)
        }
        return req.redirect(to: SiteURL.caseOverview(caseID).path + "?done=note")
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
        let (loaded, timeline) = try await load(req, for: .recordImmediateProtection)
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
                + loaded.pack.agencies.filter { ["police", "childrens-social-care", "british-transport-police", "nspcc"].contains($0.id) }
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
        let (loaded, timeline) = try await load(req, for: .recordImmediateProtection)
        let form = try FormData(req)
        var checks = FieldChecks()
        let power = ImmediateProtection.Power(rawValue: form["power"])
        if power == nil { checks.fail("power", "Choose the action taken") }
        if !loaded.pack.agencies.contains(where: { $0.id == form["agency"] }) { checks.fail("agency", "Choose the agency") }
        checks.text(form["takenBy"], "takenBy", "Enter who took the action", max: 200)
        let at = form.dateTime("at", label: "When", &checks)
        if at == nil && checks.isValid { checks.fail("at", "Enter when the action was taken") }
        if let at, at > req.now.addingTimeInterval(300) { checks.fail("at", "It must not be in the future") }
        checks.text(form["childLocation"], "childLocation", "Enter where the child is now", max: 500)
        if form.yesNo("childSeen") == nil { checks.fail("childSeen", "Say whether the child was seen") }
        if form.yesNo("legalAdvice") == nil { checks.fail("legalAdvice", "Say whether legal advice was obtained") }
        checks.text(form["otherChildren"], "otherChildren", "Say how other children were considered", max: 4000)
        checks.limit(form["responsibleAuthority"], "responsibleAuthority", max: 1000)
        guard checks.isValid, let power, let at else {
            return try await renderImmediate(req, loaded, timeline, state: FormState(form: form, errors: checks.errors),
                                             errors: checks.errors)
        }
        let details = CaseEventDetails(immediateProtection: ImmediateProtection(
            power: power, agency: form["agency"], takenBy: form["takenBy"].trimmed, childLocation: form["childLocation"].trimmed,
            childSeen: form.yesNo("childSeen") == .yes, legalAdvice: form.yesNo("legalAdvice") == .yes,
            otherChildren: form["otherChildren"].trimmed, responsibleAuthority: form["responsibleAuthority"].trimmed,
            responsibilityAcceptedInWriting: form.yesNo("accepted") == .yes))
        let caseID = timeline.caseRecord.id!
        let userID = loaded.user.id
        try await write(loaded, req, records: [loaded.audit("immediate-protection", "case", detail: power.rawValue)]) { db in
            try await CaseEvent(caseID: caseID, type: .immediateAction, at: at, details: details, recordedBy: userID).create(on: db)
        }
        return req.redirect(to: SiteURL.caseOverview(caseID).path + "?done=protection")
    }
}
