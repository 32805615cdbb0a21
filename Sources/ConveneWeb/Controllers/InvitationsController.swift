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
    }

    /// Links for people without an account last this long after the meeting.
    static let accessValidity: TimeInterval = 14 * 86_400

    struct Row: Encodable {
        let id: String
        let name: String
        let agency: String
        let role: String
        let reason: String
        let rule: String
        let sent: String
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
        let noRows: Bool
        let required: [Requirement]
        let recommended: [Requirement]
        let alerts: [String]
        let addAction: String
        let sendAction: String
        let person: ChoiceContext
        let name: FieldContext
        let email: FieldContext
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
        let answer = AttendanceEngine(pack: pack).evaluate(Invitations.question(loaded, invitations: loaded.invitations))
        let people = try await Person.query(on: req.db).filter(\.$organisation.$id == d.organisationID)
            .filter(\.$disabledAt == nil).filter(\.$role !~ [.administrator, .auditor]).sort(\.$name).all()
        let invitedIDs = Set(loaded.invitations.compactMap(\.personID))
        func requirement(_ applied: AppliedRequirement) -> Requirement {
            let r = applied.requirement
            return Requirement(text: pack.agencyName(r.agency) + (r.roles.isEmpty ? "" : " – " + r.roles.map(roleLabel).joined(separator: " or ")),
                               rule: r.rule.description, reason: applied.reason == "always" ? "" : applied.reason,
                               note: r.note ?? "", met: applied.present, quorum: r.quorum)
        }
        let editable = DiscussionStage.allowed(.invite).contains(d.stage)
        let page = Page(
            reference: d.reference, meetingName: pack.meetingName,
            slot: d.slotStart.map { UKDisplay.dateTime($0) } ?? "", version: d.lockVersion,
            rows: loaded.invitations.filter(\.invited).map { invitation in
                Row(id: invitation.id!.slug, name: invitation.name, agency: pack.agencyName(invitation.agency),
                    role: roleLabel(invitation.role), reason: invitation.reason, rule: invitation.rule,
                    sent: invitation.sentAt.map { "Sent " + UKDisplay.compact($0) } ?? "Not sent",
                    account: invitation.personID != nil,
                    removeAction: SiteURL.discussionPart(loaded.id, .invitations).path + "/\(invitation.id!.slug)/remove")
            },
            noRows: loaded.invitations.isEmpty,
            required: answer.required.map(requirement), recommended: answer.recommended.map(requirement),
            alerts: answer.alerts.map { "\($0.message) (\($0.rule))" },
            addAction: SiteURL.discussionPart(loaded.id, .invitations).path,
            sendAction: SiteURL.discussionPart(loaded.id, .send).path,
            person: state.radios("person", "Someone with a Convene account", options: [("", "Choose a person")]
                + people.filter { !invitedIDs.contains($0.id!) }.map {
                    ($0.id!.slug, "\($0.name) – \(pack.agencyName($0.agency)), \(roleLabel($0.agencyRole))")
                }),
            name: state.field("name", "Or someone without an account: full name").with(width: "20"),
            email: state.field("email", "Their email address", hint: "Their personal link is sent here").with(type: "email", width: "30"),
            agency: state.radios("agency", "Their agency", options: [("", "Choose the agency")] + pack.agencies.map { ($0.id, $0.name) }),
            role: state.field("role", "Their role", hint: "For example, designated safeguarding lead").with(width: "20"),
            unsent: loaded.invitations.filter { $0.invited && $0.sentAt == nil }.count,
            editable: editable)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("invitations", title: "Invitations", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    static let roleLabels = [
        "jcpit-manager": "JCPIT manager", "social-worker": "Social worker", "team-manager": "Team manager",
        "service-manager": "Service manager", "assistant-team-manager": "Assistant team manager",
        "business-support": "Business support", "named-nurse": "Named nurse for safeguarding",
        "designated-safeguarding-lead": "Designated safeguarding lead", "ward-nurse": "Senior ward nurse",
        "consultant": "Consultant", "detective-sergeant": "Detective sergeant", "officer": "Police officer",
    ]

    static func roleLabel(_ role: String) -> String {
        roleLabels[role] ?? role.replacingOccurrences(of: "-", with: " ").capitalizedFirst
    }

    @Sendable static func add(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try StageError.check(.invite, at: loaded.discussion.stage)
        let form = try FormData(req)
        let d = loaded.discussion
        var checks = FieldChecks()
        var invitation: Invitation?
        if let personID = UUID(uuidString: form["person"]) {
            guard let person = try await Person.find(personID, on: req.db), person.$organisation.id == d.organisationID else {
                throw Abort(.badRequest, reason: "Choose a person from the list.")
            }
            if loaded.invitations.contains(where: { $0.personID == personID }) {
                checks.fail("person", "\(person.name) is already invited")
            }
            invitation = Invitation(discussionID: loaded.id, organisationID: d.organisationID, personID: personID, name: person.name,
                                    email: person.email, agency: person.agency, role: person.agencyRole, rule: "",
                                    reason: "Invited by \(loaded.user.name)")
        } else {
            checks.text(form["name"], "name", "Choose a person, or enter the name of someone without an account", max: 200)
            checks.text(form["email"], "email", "Enter their email address, so their personal link can be sent", max: 254)
            if !form["email"].isBlank && !EmailAddress.isPlausible(form["email"]) {
                checks.fail("email", "Enter an email address in the correct format, like name@example.org")
            }
            if !loaded.pack.agencies.contains(where: { $0.id == form["agency"] }) {
                checks.fail("agency", "Choose their agency")
            }
            checks.limit(form["role"], "role", max: 100)
            invitation = Invitation(discussionID: loaded.id, organisationID: d.organisationID, personID: nil,
                                    name: form["name"].trimmed, email: form["email"].trimmed, agency: form["agency"],
                                    role: form["role"].trimmed.lowercased().replacingOccurrences(of: " ", with: "-"), rule: "",
                                    reason: "Invited by \(loaded.user.name)")
        }
        guard checks.isValid, let invitation else {
            return try await render(req, loaded, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { d, db in
            try StageError.check(.invite, at: d.stage)
            try await invitation.create(on: db)
            return ((), [loaded.audit("invite-add", "invitation", detail: "\(invitation.name), \(invitation.agency)")])
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + "?done=invited")
    }

    @Sendable static func remove(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try StageError.check(.invite, at: loaded.discussion.stage)
        let invitationID = try req.uuid("invitation")
        guard let invitation = loaded.invitations.first(where: { $0.id == invitationID }) else { throw Abort(.notFound) }
        guard invitation.attendance == nil else {
            throw Abort(.conflict, reason: "\(invitation.name)’s attendance is recorded; they stay in the record.")
        }
        try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { _, db in
            try await Invitation.query(on: db).filter(\.$id == invitationID).delete()
            return ((), [loaded.audit("invite-remove", "invitation", detail: invitation.name)])
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path)
    }

    /// Sends every unsent invitation: a link to the discussion for people with an account, a
    /// personal time-limited link for the others (only its hash is kept).
    @Sendable static func send(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .manageInvitations)
        try StageError.check(.invite, at: loaded.discussion.stage)
        let now = req.now
        let base = Outbox.baseURL(req)
        let pack = loaded.pack
        let d = loaded.discussion
        let when = d.slotStart.map { UKDisplay.dateTime($0) } ?? "to be confirmed"
        let count = try await DiscussionWriter.update(loaded, req, expectedVersion: nil) { d, db in
            let unsent = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).filter(\.$invited == true)
                .filter(\.$sentAt == nil).all()
            for invitation in unsent {
                var link = base + SiteURL.discussion(loaded.id).path
                if invitation.personID == nil {
                    let token = Tokens.random()
                    invitation.accessTokenHash = Tokens.sha256(token)
                    invitation.accessExpiresAt = (d.slotEnd ?? now).addingTimeInterval(accessValidity)
                    link = base + SiteURL.access(token).path
                }
                invitation.sentAt = now
                try await invitation.save(on: db)
                let subject = "\(pack.meetingName.capitalizedFirst) \(d.reference): \(when)"
                let body = """
                    You are invited to a \(pack.meetingName) (\(d.reference)) on \(when).
                    How to take part: \(DiscussionController.format(d.meetingFormat)). \(d.meetingDetails)
                    Open the discussion: \(link)
                    This invitation is for you only. Do not forward it: the link works for one person, in one browser.
                    """
                try await Outbox.send(to: invitation.name, email: invitation.email, subject: subject, body: body,
                                      organisationID: d.organisationID, discussionID: loaded.id, on: db)
            }
            return (unsent.count, [loaded.audit("invite-send", "invitation", detail: "\(unsent.count) invitations")])
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .invitations).path + (count > 0 ? "?done=sent" : ""))
    }
}

extension String {
    var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}
