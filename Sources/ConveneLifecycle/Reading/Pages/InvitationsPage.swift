import ConveneCore
import ConveneStore
import Foundation

/// Step 3's page: the invitees with what became of their messages, the required and
/// recommended agencies from the attendance engine with their rules, and the form for another.
public struct InvitationsPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
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

    struct Requirement: Encodable, Sendable {
        let text: String
        let rule: String
        let reason: String
        let note: String
        let met: Bool
        let quorum: Bool
    }

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

extension InvitationsPage {
    public init(_ loaded: LoadedDiscussion, people: [Person], deliveries: [UUID: Operations.InviteeDelivery], state: FormState) {
        let d = loaded.discussion
        let pack = loaded.pack
        let answer = Operations.attendance(loaded)
        let invitedIDs = Set(loaded.invitations.compactMap(\.personID))
        func requirement(_ applied: AppliedRequirement) -> Requirement {
            let r = applied.requirement
            return Requirement(text: pack.agencyName(r.agency) + (r.roles.isEmpty ? "" : " – " + r.roles.map(Vocabulary.agencyRoleLabel).joined(separator: " or ")),
                               rule: r.rule.description, reason: applied.reason == "always" ? "" : applied.reason,
                               note: r.note ?? "", met: applied.present, quorum: r.quorum)
        }
        let editable = DiscussionStage.allowed(.invite).contains(d.stage)
        self.init(
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
            alerts: answer.alerts.map { "\($0.message)" },
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
    }
}
