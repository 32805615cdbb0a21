import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// DEC-004-01: the outcome of the section 47 enquiry, shared with the strategy discussion's
/// members; a significant change to it is proposed here and each original member endorses it
/// or objects, with a reason. The change stands when the pack's rule is met.
enum OutcomeController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "outcome", use: show)
        routes.post("discussions", ":id", "outcome", use: propose)
        routes.post("discussions", ":id", "outcome", ":change", use: respond)
    }

    struct ResponseRow: Encodable {
        let name: String
        let response: String
        let reason: String
        let time: String
    }

    struct ChangeRow: Encodable {
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

    struct Page: Encodable {
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

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let overview = try await Operations.outcomeChanges(req.lifecycle, loaded)
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
                responseReason: state.field("responseReason", "Your reason").with(rows: 3))
        }
        let page = Page(
            reference: loaded.discussion.reference, rule: rules.rule.description,
            threshold: rules.threshold.description,
            outcome: overview.completion.map { "Completed \(UKDisplay.dateTime($0.at)). " + $0.details.note } ?? "The section 47 enquiry is not yet complete.",
            members: members.map { "\($0.name) (\(loaded.pack.agencyName($0.agency)))" }.joined(separator: ", "),
            changes: rows, noChanges: rows.isEmpty,
            canPropose: overview.decidedHere && loaded.allows(.recordFollowUp) && !changes.contains { $0.status == .awaiting },
            proposeAction: SiteURL.discussionPart(loaded.id, .outcome).path,
            change: state.field("change", "The significant change to the outcome").with(rows: 3),
            reason: state.field("reason", "Why it is changing").with(rows: 3))
        return try await req.page("outcome", title: "The section 47 outcome", page, errors: errors,
                                  notification: req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func propose(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordFollowUp)
        let form = try FormData(req)
        do {
            _ = try await Operations.proposeOutcomeChange(req.lifecycle, loaded, change: form["change"], reason: form["reason"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .outcome).path + "?done=outcome-change")
    }

    @Sendable static func respond(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        let form = try FormData(req)
        do {
            try await Operations.respondToOutcomeChange(req.lifecycle, loaded, changeID: try req.uuid("change"),
                                                        response: EndorsementResponse(rawValue: form["response"]),
                                                        reason: form["responseReason"])
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .outcome).path + "?done=outcome-response")
    }
}
