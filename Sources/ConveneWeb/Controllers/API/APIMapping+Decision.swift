import ConveneAPI
import ConveneCore
import Foundation

// One child's decisions (DEC-*): API ⇄ domain, field for field.

extension ChildDecision {
    init(_ d: Schemas.ChildDecision, checks: inout FieldChecks) throws {
        self.init()
        significantHarm = try d.significantHarm?.term()
        significantHarmEvidence = d.significantHarmEvidence ?? ""
        outcome = try d.outcome?.term()
        outcomeRationale = d.outcomeRationale ?? ""
        followUp = d.followUp
        followUpRationale = d.followUpRationale ?? ""
        criminalInvestigation = try d.criminalInvestigation?.term()
        criminalInvestigationPlan = d.criminalInvestigationPlan ?? ""
        medicalNeeded = try d.medicalNeeded?.term()
        medicalReason = d.medicalReason ?? ""
        legalAction = try d.legalAction?.term()
        legalActionDetail = d.legalActionDetail ?? ""
        ladoReferral = try d.ladoReferral?.term()
        ladoReason = d.ladoReason ?? ""
        consentSought = try d.consentSought?.term()
        consentRationale = d.consentRationale ?? ""
        parentsInformed = try d.parentsInformed?.term()
        parentsInformedRationale = d.parentsInformedRationale ?? ""
        familyInformation = d.familyInformation ?? ""
        familyInformationRationale = d.familyInformationRationale ?? ""
        differingViews = try d.differingViews?.term()
        differingViewsDetail = d.differingViewsDetail ?? ""
        differingViewsResolution = d.differingViewsResolution ?? ""
        furtherDiscussionBy = APIDates.parse(d.furtherDiscussionBy, "decision.furtherDiscussionBy", &checks)
        if let records = d.followUps {
            var texts: [String: String] = [:]
            for (i, record) in records.enumerated() {
                if texts[record.id] != nil {
                    checks.fail(FieldPath("decision").appending("followUps").index(i).appending("id"), "This follow-up is listed twice")
                }
                texts[record.id] = record.text
            }
            followUps = texts
        }
    }
}

extension Schemas.ChildDecision {
    init(_ d: ChildDecision) throws {
        self.init(
            significantHarm: try d.significantHarm?.term(), significantHarmEvidence: d.significantHarmEvidence,
            outcome: try d.outcome?.term(), outcomeRationale: d.outcomeRationale, followUp: d.followUp,
            followUpRationale: d.followUpRationale, criminalInvestigation: try d.criminalInvestigation?.term(),
            criminalInvestigationPlan: d.criminalInvestigationPlan, medicalNeeded: try d.medicalNeeded?.term(),
            medicalReason: d.medicalReason, legalAction: try d.legalAction?.term(), legalActionDetail: d.legalActionDetail,
            ladoReferral: try d.ladoReferral?.term(), ladoReason: d.ladoReason, consentSought: try d.consentSought?.term(),
            consentRationale: d.consentRationale, parentsInformed: try d.parentsInformed?.term(),
            parentsInformedRationale: d.parentsInformedRationale, familyInformation: d.familyInformation,
            familyInformationRationale: d.familyInformationRationale, differingViews: try d.differingViews?.term(),
            differingViewsDetail: d.differingViewsDetail, differingViewsResolution: d.differingViewsResolution,
            furtherDiscussionBy: d.furtherDiscussionBy?.description,
            followUps: d.followUps.map { $0.sorted { $0.key < $1.key }.map { Schemas.FollowUpRecord(id: $0.key, text: $0.value) } })
    }
}
