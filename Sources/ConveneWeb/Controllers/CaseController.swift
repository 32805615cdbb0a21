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

    @Sendable static func show(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .viewDiscussion)
        try await req.logView(loaded, "case", detail: "case timeline")
        return try await render(req, loaded, timeline, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, state: FormState,
                       errors: [InputError] = []) async throws -> Response {
        let overview = try await Operations.caseOverview(req.lifecycle, loaded, timeline)
        let page = CasePage(loaded, timeline, overview: overview, state: state, today: EuropeLondon.localDate(of: req.now))
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

    @Sendable static func showImmediate(req: Request) async throws -> Response {
        let (loaded, timeline) = try await req.caseTimeline(try req.uuid("id"), for: .recordImmediateProtection)
        return try await renderImmediate(req, loaded, timeline, state: FormState())
    }

    static func renderImmediate(_ req: Request, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, state: FormState,
                                errors: [InputError] = []) async throws -> Response {
        let page = ImmediateProtectionPage(loaded, timeline, state: state)
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
