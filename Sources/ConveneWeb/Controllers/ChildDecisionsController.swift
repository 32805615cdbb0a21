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

    struct Page: Encodable {
        let action: String
        let version: Int
        let reference: String
        let childName: String
        let missing: [LayoutContext.ErrorItem]
        let noneMissing: Bool
        let significantHarm: ChoiceContext
        let significantHarmEvidence: FieldContext
        let outcome: ChoiceContext
        let outcomeRationale: FieldContext
        let followUp: ChoiceContext
        let hasFollowUps: Bool
        /// DEC-002-01: each follow-up recorded in words, where the pack records each.
        let eachFollowUp: [FieldContext]
        let recordEach: Bool
        let followUpRationale: FieldContext
        let criminalInvestigation: ChoiceContext
        let criminalInvestigationPlan: FieldContext
        let medicalNeeded: ChoiceContext
        let medicalReason: FieldContext
        let legalAction: ChoiceContext
        let legalActionDetail: FieldContext
        let ladoReferral: ChoiceContext
        let ladoReason: FieldContext
        let consentSought: ChoiceContext
        let consentRationale: FieldContext
        let parentsInformed: ChoiceContext
        let parentsInformedRationale: FieldContext
        let familyInformation: FieldContext
        let familyInformationRationale: FieldContext
        let differingViews: ChoiceContext
        let differingViewsDetail: FieldContext
        let differingViewsResolution: FieldContext
        let furtherDiscussionBy: DateFieldContext
        let otherChildren: [Link]
    }

    struct Link: Encodable {
        let text: String
        let href: String
    }

    static func prefix(_ child: CaseChild) -> String {
        "decisions." + child.id!.slug + "."
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let (child, stored) = try await Operations.childDecision(req.lifecycle, loaded, childID: try req.uuid("child"))
        return try await render(req, loaded, child: child, state: values(stored, prefix: prefix(child)), decision: stored)
    }

    static func values(_ d: ChildDecision, prefix p: String) -> FormState {
        var state = FormState()
        let yesNo: [(String, YesNo?)] = [
            ("significantHarm", d.significantHarm), ("criminalInvestigation", d.criminalInvestigation),
            ("medicalNeeded", d.medicalNeeded), ("legalAction", d.legalAction), ("ladoReferral", d.ladoReferral),
            ("consentSought", d.consentSought), ("parentsInformed", d.parentsInformed), ("differingViews", d.differingViews),
        ]
        for (name, value) in yesNo { state.values[p + name] = value?.rawValue ?? "" }
        let texts: [(String, String)] = [
            ("significantHarmEvidence", d.significantHarmEvidence), ("outcomeRationale", d.outcomeRationale),
            ("followUpRationale", d.followUpRationale), ("criminalInvestigationPlan", d.criminalInvestigationPlan),
            ("medicalReason", d.medicalReason), ("legalActionDetail", d.legalActionDetail), ("ladoReason", d.ladoReason),
            ("consentRationale", d.consentRationale), ("parentsInformedRationale", d.parentsInformedRationale),
            ("familyInformation", d.familyInformation), ("familyInformationRationale", d.familyInformationRationale),
            ("differingViewsDetail", d.differingViewsDetail), ("differingViewsResolution", d.differingViewsResolution),
        ]
        for (name, value) in texts { state.values[p + name] = value }
        state.values[p + "outcome"] = d.outcome?.rawValue ?? ""
        state.values[p + "followUp"] = d.followUp ?? ""
        for (id, text) in d.followUps ?? [:] { state.values[p + "followUps." + id] = text }
        state.setDate(p + "furtherDiscussionBy", d.furtherDiscussionBy)
        return state
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, child: CaseChild, state: FormState, decision: ChildDecision,
                       errors: [InputError] = []) async throws -> Response {
        let p = prefix(child)
        let pack = loaded.pack
        let meetingDate = (loaded.discussion.startedAt ?? req.now)
        let missing = decision.missing(pack: pack, path: FieldPath("decisions").appending(child.id!.slug),
                                       meetingDate: EuropeLondon.localDate(of: meetingDate))
        let yesNo = [("yes", "Yes"), ("no", "No")]
        func radios(_ name: String, _ legend: String, hint: String = "") -> ChoiceContext {
            var c = state.radios(p + name, legend, hint: hint, options: yesNo)
            c.inline = true
            return c
        }
        func text(_ name: String, _ label: String, hint: String = "") -> FieldContext {
            state.field(p + name, label, hint: hint).with(rows: 3)
        }
        var outcome = state.radios(p + "outcome", "Outcome", options: pack.outcomes.map { ($0.outcome.rawValue, $0.label) })
        outcome.legendSize = "m"
        let page = Page(
            action: SiteURL.decisionsForChild(loaded.id, child.id!).path, version: loaded.discussion.lockVersion,
            reference: loaded.discussion.reference, childName: child.name,
            missing: missing.map { .init(href: "#" + $0.field.htmlID, text: $0.message) }, noneMissing: missing.isEmpty,
            significantHarm: radios("significantHarm", "Has \(child.name) suffered, or are they likely to suffer, significant harm?"),
            significantHarmEvidence: text("significantHarmEvidence", "The evidence"),
            outcome: outcome,
            outcomeRationale: text("outcomeRationale", "Rationale for the outcome", hint: "Required for a decision not to start a section 47 enquiry, or to defer it"),
            followUp: state.radios(p + "followUp", "If there is no section 47 enquiry: what follows", options: pack.withoutS47.map { ($0.id, $0.label) }),
            hasFollowUps: !pack.withoutS47.isEmpty && pack.withoutS47Recording == .one,
            eachFollowUp: pack.withoutS47.map { text("followUps." + $0.id, $0.label, hint: "Say what is agreed, or that there is none (\($0.rule))") },
            recordEach: pack.withoutS47Recording == .each,
            followUpRationale: text("followUpRationale", "Rationale", hint: "Required for no further action, which is rare after a strategy discussion"),
            criminalInvestigation: radios("criminalInvestigation", "Will there be a criminal investigation?"),
            criminalInvestigationPlan: text("criminalInvestigationPlan", "Conduct and timing of the criminal investigation"),
            medicalNeeded: radios("medicalNeeded", "Is a medical needed?"),
            medicalReason: text("medicalReason", "Why, and who arranges it"),
            legalAction: radios("legalAction", "Is legal action needed?", hint: "For example, a legal planning meeting"),
            legalActionDetail: text("legalActionDetail", "What legal action"),
            ladoReferral: radios("ladoReferral", "Is a referral to the LADO needed?"),
            ladoReason: text("ladoReason", "Why"),
            consentSought: radios("consentSought", "Will parents’ consent be sought?",
                                  hint: "Unless it would put the child at further risk or damage a criminal investigation"),
            consentRationale: text("consentRationale", "If not: the rationale for not seeking consent"),
            parentsInformed: radios("parentsInformed", "Will everyone with parental responsibility, including absent parents, be informed?"),
            parentsInformedRationale: text("parentsInformedRationale", "If not: the rationale"),
            familyInformation: text("familyInformation", "What will be shared with the child and family"),
            familyInformationRationale: text("familyInformationRationale", "Why (and what will not be shared)"),
            differingViews: radios("differingViews", "Do agencies hold differing views?"),
            differingViewsDetail: text("differingViewsDetail", "The differing views"),
            differingViewsResolution: text("differingViewsResolution", "How they will be resolved"),
            furtherDiscussionBy: state.date(p + "furtherDiscussionBy", "If a further discussion is needed: by when",
                                            hint: "The discussion sets this date; the manager reviews it"),
            otherChildren: loaded.children.filter { $0.id != child.id }.map {
                Link(text: "Decisions for \($0.name)", href: SiteURL.decisionsForChild(loaded.id, $0.id!).path)
            })
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("decisions", title: "Decisions for \(child.name)", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let (child, _) = try await Operations.childDecision(req.lifecycle, loaded, childID: try req.uuid("child"))
        let form = try FormData(req)
        let p = prefix(child)
        var checks = FieldChecks()
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
        if loaded.pack.withoutS47Recording == .each {
            d.followUps = Dictionary(uniqueKeysWithValues: loaded.pack.withoutS47.map { ($0.id, form[p + "followUps." + $0.id].trimmed) })
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
        let childID = child.id!
        do {
            try checks.finish()
            try await Operations.saveDecision(req.lifecycle, loaded, childID: childID, d, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, child: child, state: FormState(form: form, errors: failure.errors), decision: d,
                                    errors: failure.errors)
        }
        return req.redirect(to: SiteURL.decisionsForChild(loaded.id, childID).path + "?done=decisions")
    }
}
