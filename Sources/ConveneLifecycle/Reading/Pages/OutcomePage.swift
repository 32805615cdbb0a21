import ConveneCore
import ConveneStore
import Foundation

/// DEC-004-01 as its page shows it: the outcome of the section 47 enquiry, the changes to it
/// proposed to the strategy discussion's members with each member's endorsement or objection,
/// and the forms to propose a change and to answer one.
public struct OutcomePage: Encodable, Sendable {
    struct ResponseRow: Encodable, Sendable {
        let name: String
        let response: String
        let reason: String
        let time: String
    }

    struct ChangeRow: Encodable, Sendable {
        let change: String
        let reason: String
        let proposed: String
        let status: String
        let colour: String
        let responses: [ResponseRow]
        let waitingFor: String
        let respondAction: String
        let canRespond: Bool
        let response: ChoiceContext
        let responseReason: FieldContext
    }

    let reference: String
    let rule: String
    let threshold: String
    let outcome: String
    let members: String
    let changes: [ChangeRow]
    let noChanges: Bool
    let canPropose: Bool
    let proposeAction: String
    let change: FieldContext
    let reason: FieldContext
}

extension OutcomePage {
    public init(_ loaded: LoadedDiscussion, _ overview: Operations.OutcomeChanges, state: FormState) {
        let (rules, changes, members, own) = (overview.rules, overview.changes, overview.members, overview.ownMembership)
        let rows = changes.map { change -> ChangeRow in
            let answers = overview.responses(to: change)
            let answered = Set(answers.map(\.invitationID))
            let mayRespond = change.status == .awaiting && own.map { !answered.contains($0.id!) } ?? false
            var choice = state.radios("response", "Do you endorse this change?", options: [
                ("endorse", "I endorse it"), ("object", "I object"),
            ])
            choice.inline = true
            return ChangeRow(
                change: change.change, reason: change.reason,
                proposed: "Proposed by \(change.proposedByName), \(UKDisplay.dateTime(change.proposedAt))",
                status: change.status.label, colour: change.status == .stands ? "green" : change.status == .rejected ? "red" : "yellow",
                responses: answers.map {
                    ResponseRow(name: "\($0.name) (\(loaded.pack.agencyName($0.agency)))",
                                response: $0.response == .endorse ? "Endorsed" : "Objected", reason: $0.reason,
                                time: UKDisplay.dateTime($0.respondedAt))
                },
                waitingFor: change.status == .awaiting
                    ? members.filter { !answered.contains($0.id!) }.map(\.name).joined(separator: ", ") : "",
                respondAction: SiteURL.discussionPart(loaded.id, .outcome).path + "/" + change.id!.slug,
                canRespond: mayRespond, response: choice,
                responseReason: state.field("responseReason", "Your reason for endorsing or objecting").with(rows: 3))
        }
        self.init(
            reference: loaded.discussion.reference, rule: rules.rule.description,
            threshold: rules.threshold.description,
            outcome: overview.completion.map { "Completed \(UKDisplay.dateTime($0.at)). " + $0.details.note } ?? "The section 47 enquiry is not yet complete.",
            members: members.map { "\($0.name) (\(loaded.pack.agencyName($0.agency)))" }.joined(separator: ", "),
            changes: rows, noChanges: rows.isEmpty,
            canPropose: overview.decidedHere && loaded.allows(.recordFollowUp) && !changes.contains { $0.status == .awaiting },
            proposeAction: SiteURL.discussionPart(loaded.id, .outcome).path,
            change: state.field("change", "The significant change to the outcome").with(rows: 3),
            reason: state.field("reason", "Why it is changing").with(rows: 3))
    }
}
