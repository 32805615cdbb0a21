import Foundation

public enum YesNo: String, CaseIterable, Codable, Hashable, Sendable {
    case yes
    case no
}

/// The decisions recorded for one child (DEC-ALL-01..03, DEC-000-01, DEC-000-02, DEC-002-01).
/// There is deliberately no "ICPC required" decision: the s47 enquiry decides that (DEC-000-01).
public struct ChildDecision: Codable, Hashable, Sendable {
    /// Has suffered, or is likely to suffer, significant harm.
    public var significantHarm: YesNo?
    public var significantHarmEvidence: String = ""
    public var outcome: DiscussionOutcome?
    public var outcomeRationale: String = ""
    /// What follows when no s47 enquiry is started (an id from the pack's `withoutS47`).
    public var followUp: String?
    public var followUpRationale: String = ""
    /// Where the pack records each follow-up (DEC-002-01): what is specified for each, by id.
    public var followUps: [String: String]?
    public var criminalInvestigation: YesNo?
    /// Conduct and timing of any criminal investigation.
    public var criminalInvestigationPlan: String = ""
    public var medicalNeeded: YesNo?
    public var medicalReason: String = ""
    public var legalAction: YesNo?
    public var legalActionDetail: String = ""
    public var ladoReferral: YesNo?
    public var ladoReason: String = ""
    /// Parents' consent sought (to see the child and contact agencies).
    public var consentSought: YesNo?
    /// Mandatory when consent is not sought (DEC-ALL-02).
    public var consentRationale: String = ""
    /// Everyone with parental responsibility, including absent parents, is informed.
    public var parentsInformed: YesNo?
    /// Mandatory when a person with parental responsibility is not informed (DEC-ALL-02).
    public var parentsInformedRationale: String = ""
    /// What will be shared with the child and family, and why (DEC-ALL-03).
    public var familyInformation: String = ""
    public var familyInformationRationale: String = ""
    public var differingViews: YesNo?
    /// The differing views and how they will be resolved (DEC-000-02).
    public var differingViewsDetail: String = ""
    public var differingViewsResolution: String = ""
    /// When a further discussion is needed, the date the discussion sets (TIME-000-03).
    public var furtherDiscussionBy: LocalDate?

    public init() {}

    /// What is still missing for this child before the record can be final, by field.
    public func missing(pack: ProcedurePack, path: FieldPath, meetingDate: LocalDate) -> [InputError] {
        var v = FieldChecks()
        if significantHarm == nil {
            v.fail(path.appending("significantHarm"), "Say whether the child has suffered or is likely to suffer significant harm")
        } else {
            v.text(significantHarmEvidence, path.appending("significantHarmEvidence"), "Give the evidence for the significant harm finding")
        }
        if let outcome {
            if !pack.outcomes.contains(where: { $0.outcome == outcome }) {
                v.fail(path.appending("outcome"), "Choose an outcome this procedure offers")
            } else if pack.outcomes.first(where: { $0.outcome == outcome })?.requiresRationale == true {
                v.text(outcomeRationale, path.appending("outcomeRationale"), "Give the rationale for this outcome")
            }
            if !outcome.startsS47 && outcome != .deferred && pack.withoutS47Recording == .each {
                // DEC-002-01: each follow-up is specified, not one chosen.
                for option in pack.withoutS47 {
                    v.text(followUps?[option.id] ?? "", path.appending("followUps").appending(option.id),
                           "Record \(option.label.prefix(1).lowercased() + option.label.dropFirst()), or say there is none")
                }
            } else if !outcome.startsS47 && outcome != .deferred && !pack.withoutS47.isEmpty {
                if let followUp, let option = pack.withoutS47.first(where: { $0.id == followUp }) {
                    if option.requiresRationale {
                        // No further action after a strategy discussion is rare and needs a rationale (DEC-000-01).
                        v.text(followUpRationale, path.appending("followUpRationale"), "Give the rationale for \(option.label.lowercased())")
                    }
                } else {
                    v.fail(path.appending("followUp"), "Choose what follows when there is no section 47 enquiry")
                }
            }
        } else {
            v.fail(path.appending("outcome"), "Choose the outcome for this child")
        }
        if criminalInvestigation == nil {
            v.fail(path.appending("criminalInvestigation"), "Say whether there will be a criminal investigation")
        } else if criminalInvestigation == .yes {
            v.text(criminalInvestigationPlan, path.appending("criminalInvestigationPlan"),
                   "Give the conduct and timing of the criminal investigation")
        }
        if medicalNeeded == nil {
            v.fail(path.appending("medicalNeeded"), "Say whether a medical is needed")
        } else if medicalNeeded == .yes {
            v.text(medicalReason, path.appending("medicalReason"), "Say why a medical is needed")
        }
        if legalAction == nil {
            v.fail(path.appending("legalAction"), "Say whether legal action is needed")
        } else if legalAction == .yes {
            v.text(legalActionDetail, path.appending("legalActionDetail"), "Describe the legal action")
        }
        if ladoReferral == nil {
            v.fail(path.appending("ladoReferral"), "Say whether a LADO referral is needed")
        } else if ladoReferral == .yes {
            v.text(ladoReason, path.appending("ladoReason"), "Say why a LADO referral is needed")
        }
        if consentSought == nil {
            v.fail(path.appending("consentSought"), "Say whether parents’ consent will be sought")
        } else if consentSought == .no {
            v.text(consentRationale, path.appending("consentRationale"), "Give the rationale for not seeking consent")
        }
        if parentsInformed == nil {
            v.fail(path.appending("parentsInformed"), "Say whether everyone with parental responsibility, including absent parents, will be informed")
        } else if parentsInformed == .no {
            v.text(parentsInformedRationale, path.appending("parentsInformedRationale"),
                   "Give the rationale for not informing a person with parental responsibility")
        }
        v.text(familyInformation, path.appending("familyInformation"), "Say what will be shared with the child and family")
        v.text(familyInformationRationale, path.appending("familyInformationRationale"),
               "Give the rationale for what will and will not be shared with the family")
        if differingViews == nil {
            v.fail(path.appending("differingViews"), "Say whether agencies hold differing views")
        } else if differingViews == .yes {
            v.text(differingViewsDetail, path.appending("differingViewsDetail"), "Record the differing views")
            v.text(differingViewsResolution, path.appending("differingViewsResolution"), "Say how the differing views will be resolved")
        }
        if let further = furtherDiscussionBy {
            v.check(further >= meetingDate, path.appending("furtherDiscussionBy"), "The further discussion must be after this one")
        }
        if outcome == .deferred && furtherDiscussionBy == nil {
            v.fail(path.appending("furtherDiscussionBy"), "Set the date by which the deferred decision will be made")
        }
        return v.errors
    }
}
