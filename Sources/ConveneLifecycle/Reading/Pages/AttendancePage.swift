import ConveneCore
import ConveneStore
import Foundation

/// Step 4a's page: who attended and how, and the quoracy check made before decisions are
/// recorded, with the urgent exception where the pack has one (ATT-ALL-03, ATT-004-01).
public struct AttendancePage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let agency: String
        let role: String
        let invited: Bool
        let mode: ChoiceContext
    }

    let action: String
    let version: Int
    let reference: String
    let rows: [Row]
    let startedAt: DateFieldContext
    let earlyStartReason: FieldContext
    let walkInName: FieldContext
    let walkInAgency: ChoiceContext
    let walkInRole: FieldContext
    let checked: Bool
    let quorate: Bool
    let urgentException: Bool
    let urgentExceptionRule: String
    let missing: [String]
    let proceedReason: FieldContext
    let quorumRules: String
}

extension AttendancePage {
    public init(_ loaded: LoadedDiscussion, state: FormState) {
        let d = loaded.discussion
        let pack = loaded.pack
        let modes = AttendanceMode.allCases.map { ($0.rawValue, $0.label) }
        let quoracy = d.quoracy
        self.init(
            action: SiteURL.discussionPart(loaded.id, .attendance).path, version: d.lockVersion, reference: d.reference,
            rows: loaded.invitations.map { invitation in
                var choice = state.radios("mode." + invitation.id!.slug, invitation.name, options: modes)
                choice.inline = true
                choice.small = true
                return Row(name: invitation.name, agency: pack.agencyName(invitation.agency),
                           role: Vocabulary.agencyRoleLabel(invitation.role), invited: invitation.invited, mode: choice)
            },
            startedAt: state.date("startedAt", "When did the meeting start?", hint: "UK time", withTime: true),
            earlyStartReason: state.field("earlyStartReason", "If it started before the booked slot: why",
                                          hint: d.slotStart.map { "Booked for \(UKDisplay.dateTime($0))" } ?? "").with(rows: 2),
            walkInName: state.field("walkIn.name", "Someone attended who was not invited: their name").with(width: "20"),
            walkInAgency: state.radios("walkIn.agency", "Their agency", options: [("", "Choose the agency")]
                + pack.agencies.map { ($0.id, $0.name) }),
            walkInRole: state.field("walkIn.role", "Their role").with(width: "20"),
            checked: quoracy != nil,
            quorate: quoracy?.quorate ?? false,
            urgentException: quoracy?.urgentException ?? false,
            urgentExceptionRule: pack.attendance.urgentException?.rule.description ?? "",
            missing: quoracy?.missing ?? [],
            proceedReason: state.field("proceedReason", "If not quorate: why the chair is going ahead",
                                       hint: "For example, the directions the police manager gave and why they could not attend. Leave blank to reconvene instead."),
            quorumRules: pack.attendance.required.filter(\.quorum).map { pack.agencyName($0.agency) }.uniqued().joined(separator: ", "))
    }
}

extension AttendancePage {
    /// The stored attendance, as the form holds it; the start time defaults to the booked slot.
    public static func values(_ loaded: LoadedDiscussion, now: Date) -> FormState {
        var state = FormState()
        for invitation in loaded.invitations {
            state.values["mode." + invitation.id!.slug] = invitation.attendance?.rawValue ?? ""
        }
        state.setDateTime("startedAt", loaded.discussion.startedAt ?? loaded.discussion.slotStart ?? now)
        state.values["proceedReason"] = loaded.discussion.quoracy?.proceedReason ?? ""
        state.values["earlyStartReason"] = loaded.discussion.earlyStartReason
        return state
    }
}
