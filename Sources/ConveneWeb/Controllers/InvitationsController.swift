import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 3: invitations. Required and conditional invitees come from the attendance engine,
/// each with the rule that made them required; each invitee gets personal, non-forwardable
/// access (REQ-001-03).
enum InvitationsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "invitations", use: show)
        routes.post("discussions", ":id", "invitations", use: add)
        routes.post("discussions", ":id", "invitations", ":invitation", "remove", use: remove)
        routes.post("discussions", ":id", "send", use: send)
        routes.post("discussions", ":id", "invitations", ":invitation", "resend", use: resend)
    }

    struct Row: Encodable {
        let id: String
        let name: String
        let agency: String
        let role: String
        let reason: String
        let rule: String
        let sent: String
        /// What became of the messages to this invitee (issue 11): queued, sent or failed.
        let delivery: String
        let failed: Bool
        let resendAction: String
        let account: Bool
        let removeAction: String
    }

    struct Requirement: Encodable {
        let text: String
        let rule: String
        let reason: String
        let note: String
        let met: Bool
        let quorum: Bool
    }

    struct Page: Encodable {
        let reference: String
        let meetingName: String
        let slot: String
        let version: Int
        let rows: [Row]
        /// Required agencies nobody is invited for yet, each with its rule.
        let uninvited: [Requirement]
        let noRows: Bool
        let required: [Requirement]
        let recommended: [Requirement]
        let alerts: [String]
        let addAction: String
        let sendAction: String
        let person: ChoiceContext
        let name: FieldContext
        let email: FieldContext
        let phone: FieldContext
        let agency: ChoiceContext
        let role: FieldContext
        let unsent: Int
        let editable: Bool
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        return try await render(req, loaded, state: FormState())
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let d = loaded.discussion
        let pack = loaded.pack
        let answer = Operations.attendance(loaded)
        let people = try await Operations.invitablePeople(req.lifecycle, loaded)
        let invitedIDs = Set(loaded.invitations.compactMap(\.personID))
        func requirement(_ applied: AppliedRequirement) -> Requirement {
            let r = applied.requirement
            return Requirement(text: pack.agencyName(r.agency) + (r.roles.isEmpty ? "" : " – " + r.roles.map(Vocabulary.agencyRoleLabel).joined(separator: " or ")),
                               rule: r.rule.description, reason: applied.reason == "always" ? "" : applied.reason,
                               note: r.note ?? "", met: applied.present, quorum: r.quorum)
        }
        let editable = DiscussionStage.allowed(.invite).contains(d.stage)
        let deliveries = try await Operations.inviteeDeliveries(req.lifecycle, loaded)
        let page = Page(
            reference: d.reference, meetingName: pack.meetingName,
            slot: d.slotStart.map { UKDisplay.dateTime($0) } ?? "", version: d.lockVersion,
            rows: loaded.invitations.filter(\.invited).map { invitation in
                Row(id: invitation.id!.slug, name: invitation.name, agency: pack.agencyName(invitation.agency),
                    role: Vocabulary.agencyRoleLabel(invitation.role), reason: invitation.reason, rule: invitation.rule,
                    sent: invitation.sentAt.map { "Sent " + UKDisplay.compact($0) } ?? "Not sent",
                    delivery: deliveries[invitation.id!]?.label ?? "", failed: deliveries[invitation.id!]?.failed ?? false,
                    resendAction: SiteURL.discussionPart(loaded.id, .invitations).path + "/\(invitation.id!.slug)/resend",
                    account: invitation.personID != nil,
                    removeAction: SiteURL.discussionPart(loaded.id, .invitations).path + "/\(invitation.id!.slug)/remove")
            },
            uninvited: answer.required.filter { !$0.present }.map(requirement),
            noRows: loaded.invitations.isEmpty && answer.required.allSatisfy(\.present),
            required: answer.required.map(requirement), recommended: answer.recommended.map(requirement),
            alerts: answer.alerts.map { "\($0.message) (\($0.rule))" },
            addAction: SiteURL.discussionPart(loaded.id, .invitations).path,
            sendAction: SiteURL.discussionPart(loaded.id, .send).path,
            person: state.radios("person", "Someone with a Convene account", options: [("", "Choose a person")]
                + people.filter { !invitedIDs.contains($0.id!) }.map {
                    ($0.id!.slug, "\($0.name) – \(pack.agencyName($0.agency)), \(Vocabulary.agencyRoleLabel($0.agencyRole))")
                }),
            name: state.field("name", "Or someone without an account: full name").with(width: "20"),
            email: state.field("email", "Their email address", hint: "Their personal link is sent here").with(type: "email", width: "30"),
            phone: state.field("phone", "Or, if invited by telephone, their phone number",
                               hint: "No link is sent; record that you phoned them").with(type: "tel", width: "20"),
            agency: state.radios("agency", "Their agency", options: [("", "Choose the agency")] + pack.agencies.map { ($0.id, $0.name) }),
            role: state.field("role", "Their role", hint: "For example, designated safeguarding lead").with(width: "20"),
            unsent: loaded.invitations.filter { $0.invited && $0.sentAt == nil }.count,
            editable: editable)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("invitations", title: "Invitations", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func add(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        let form = try FormData(req)
        do {
            _ = try await Operations.addInvitation(req.lifecycle, loaded, .init(
                personID: UUID(uuidString: form["person"]), name: form["name"], email: form["email"], agency: form["agency"],
                role: form["role"], phone: form["phone"]))
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + "?done=invited")
    }

    @Sendable static func remove(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try await Operations.removeInvitation(req.lifecycle, loaded, invitationID: try req.uuid("invitation"))
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path)
    }

    /// Sends the failed messages to one invitee again (issue 11).
    @Sendable static func resend(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try await Operations.resendToInvitee(req.lifecycle, loaded, invitationID: try req.uuid("invitation"))
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + "?done=resent")
    }

    @Sendable static func send(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        let count = try await Operations.sendInvitations(req.lifecycle, loaded)
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + (count > 0 ? "?done=sent" : ""))
    }
}
