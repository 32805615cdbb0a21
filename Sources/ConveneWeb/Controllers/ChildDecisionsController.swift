import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 5: the decisions for each child (DEC-*), recorded only after the quoracy check
/// (ATT-ALL-03). There is no "ICPC required" decision: the s47 enquiry decides (DEC-000-01).
enum ChildDecisionsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "decisions", ":child", use: show)
        routes.post("discussions", ":id", "decisions", ":child", use: save)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let (child, stored) = try await Operations.childDecision(req.lifecycle, loaded, childID: try req.uuid("child"))
        return try await render(req, loaded, child: child, state: ChildDecisionsPage.values(stored, prefix: ChildDecisionsPage.prefix(child)), decision: stored)
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, child: CaseChild, state: FormState, decision: ChildDecision,
                       errors: [InputError] = []) async throws -> Response {
        let page = ChildDecisionsPage(loaded, child: child, state: state, decision: decision, now: req.now)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("decisions", title: "Decisions for \(child.name)", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let (child, _) = try await Operations.childDecision(req.lifecycle, loaded, childID: try req.uuid("child"))
        let form = try FormData(req)
        var checks = FieldChecks()
        let d = decision(form, prefix: ChildDecisionsPage.prefix(child), pack: loaded.pack, &checks)
        let childID = child.id!
        do {
            try checks.finish()
            try await Operations.saveDecision(req.lifecycle, loaded, childID: childID, d, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            let state = FormState(form: form, errors: failure.errors)
            if MeetingController.returnsToMeeting(form) {
                return try await MeetingController.renderMeeting(req, loaded, override: .decisions(child: childID, state), errors: failure.errors)
            }
            return try await render(req, loaded, child: child, state: state, decision: d, errors: failure.errors)
        }
        if MeetingController.returnsToMeeting(form) {
            return req.redirect(to: MeetingController.meetingPath(loaded, done: "decisions", anchor: "decisions-" + childID.slug))
        }
        return req.redirect(to: SiteURL.decisionsForChild(loaded.id, childID).path + "?done=decisions")
    }

    /// One child's decisions as the form holds them (fields named with the child's prefix).
    static func decision(_ form: FormData, prefix p: String, pack: ProcedurePack, _ checks: inout FieldChecks) -> ChildDecision {
        var d = ChildDecision()
        d.significantHarm = form.yesNo(p + "significantHarm")
        d.criminalInvestigation = form.yesNo(p + "criminalInvestigation")
        d.medicalNeeded = form.yesNo(p + "medicalNeeded")
        d.legalAction = form.yesNo(p + "legalAction")
        d.ladoReferral = form.yesNo(p + "ladoReferral")
        d.consentSought = form.yesNo(p + "consentSought")
        d.parentsInformed = form.yesNo(p + "parentsInformed")
        d.differingViews = form.yesNo(p + "differingViews")
        d.outcome = DiscussionOutcome(rawValue: form[p + "outcome"])
        d.followUp = form[p + "followUp"].isBlank ? nil : form[p + "followUp"]
        if pack.withoutS47Recording == .each {
            d.followUps = Dictionary(uniqueKeysWithValues: pack.withoutS47.map { ($0.id, form[p + "followUps." + $0.id].trimmed) })
        }
        let texts: [WritableKeyPath<ChildDecision, String>: String] = [
            \.significantHarmEvidence: "significantHarmEvidence", \.outcomeRationale: "outcomeRationale",
            \.followUpRationale: "followUpRationale", \.criminalInvestigationPlan: "criminalInvestigationPlan",
            \.medicalReason: "medicalReason", \.legalActionDetail: "legalActionDetail", \.ladoReason: "ladoReason",
            \.consentRationale: "consentRationale", \.parentsInformedRationale: "parentsInformedRationale",
            \.familyInformation: "familyInformation", \.familyInformationRationale: "familyInformationRationale",
            \.differingViewsDetail: "differingViewsDetail", \.differingViewsResolution: "differingViewsResolution",
        ]
        for (keyPath, name) in texts {
            d[keyPath: keyPath] = form[p + name].trimmed
        }
        d.furtherDiscussionBy = form.date(p + "furtherDiscussionBy", label: "The date of the further discussion", &checks)
        return d
    }
}
