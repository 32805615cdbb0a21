import ConveneCore
import ConveneStore
import Foundation

/// Step 5's page: the decisions for one child (DEC-*), what the record still lacks for them,
/// and links to the other children's.
public struct ChildDecisionsPage: Encodable, Sendable {
    struct Link: Encodable, Sendable {
        let text: String
        let href: String
    }

    let action: String
    let version: Int
    let reference: String
    let childName: String
    let missing: [ErrorLink]
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

extension ChildDecisionsPage {
    public init(_ loaded: LoadedDiscussion, child: CaseChild, state: FormState, decision: ChildDecision, now: Date) {
        let p = Self.prefix(child)
        let pack = loaded.pack
        let meetingDate = (loaded.discussion.startedAt ?? now)
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
        self.init(
            action: SiteURL.decisionsForChild(loaded.id, child.id!).path, version: loaded.discussion.lockVersion,
            reference: loaded.discussion.reference, childName: child.name,
            missing: missing.map { .init(href: "#" + $0.field.htmlID, text: $0.message) }, noneMissing: missing.isEmpty,
            significantHarm: radios("significantHarm", "Has \(child.name) suffered, or are they likely to suffer, significant harm?"),
            significantHarmEvidence: text("significantHarmEvidence", "The evidence for the significant harm finding"),
            outcome: outcome,
            outcomeRationale: text("outcomeRationale", "Rationale for the outcome", hint: "Required for a decision not to start a section 47 enquiry, or to defer it"),
            followUp: state.radios(p + "followUp", "If there is no section 47 enquiry: what follows", options: pack.withoutS47.map { ($0.id, $0.label) }),
            hasFollowUps: !pack.withoutS47.isEmpty && pack.withoutS47Recording == .one,
            eachFollowUp: pack.withoutS47.map { text("followUps." + $0.id, $0.label, hint: "Say what is agreed, or that there is none") }, // DEC-002-01
            recordEach: pack.withoutS47Recording == .each,
            followUpRationale: text("followUpRationale", "Rationale for what follows", hint: "Required for no further action, which is rare after a \(pack.meetingName)"),
            criminalInvestigation: radios("criminalInvestigation", "Will there be a criminal investigation?"),
            criminalInvestigationPlan: text("criminalInvestigationPlan", "Conduct and timing of the criminal investigation"),
            medicalNeeded: radios("medicalNeeded", "Is a medical needed?"),
            medicalReason: text("medicalReason", "Why, and who arranges it"),
            legalAction: radios("legalAction", "Is legal action needed?", hint: "For example, a legal planning meeting"),
            legalActionDetail: text("legalActionDetail", "What legal action"),
            ladoReferral: radios("ladoReferral", "Is a referral to the LADO needed?"),
            ladoReason: text("ladoReason", "If a referral is needed: why"),
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
    }

    public static func prefix(_ child: CaseChild) -> String {
        "decisions." + child.id!.slug + "."
    }

    /// The form's values for a stored decision.
    public static func values(_ d: ChildDecision, prefix p: String) -> FormState {
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
}
