import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 4a: who attended and how (in person, virtual, phone, apologies), and the quoracy check
/// made before decisions are recorded, with the urgent exception where the pack has one
/// (ATT-ALL-03, ATT-004-01).
enum AttendanceController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "attendance", use: show)
        routes.post("discussions", ":id", "attendance", use: submit)
    }

    struct Row: Encodable {
        let name: String
        let agency: String
        let role: String
        let invited: Bool
        let mode: ChoiceContext
    }

    struct Page: Encodable {
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

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var state = FormState()
        for invitation in loaded.invitations {
            state.values["mode." + invitation.id!.slug] = invitation.attendance?.rawValue ?? ""
        }
        state.setDateTime("startedAt", loaded.discussion.startedAt ?? loaded.discussion.slotStart ?? req.now)
        state.values["proceedReason"] = loaded.discussion.quoracy?.proceedReason ?? ""
        state.values["earlyStartReason"] = loaded.discussion.earlyStartReason
        return try await render(req, loaded, state: state)
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let d = loaded.discussion
        let pack = loaded.pack
        let modes = AttendanceMode.allCases.map { ($0.rawValue, $0.label) }
        let quoracy = d.quoracy
        let page = Page(
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
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("attendance", title: "Attendance and quoracy", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        var checks = FieldChecks()
        var modes: [UUID: AttendanceMode] = [:]
        for invitation in loaded.invitations {
            let name = "mode." + invitation.id!.slug
            if let mode = AttendanceMode(rawValue: form[name]) {
                modes[invitation.id!] = mode
            } else if !form[name].isEmpty {
                checks.fail(FieldPath(name), "Choose how \(invitation.name) took part")
            }
        }
        let startedAt = form.dateTime("startedAt", label: "When the meeting started", &checks)
        do {
            try checks.finish()
            try await Operations.recordAttendance(req.lifecycle, loaded, .init(
                modes: modes, startedAt: startedAt, walkInName: form["walkIn.name"], walkInAgency: form["walkIn.agency"],
                walkInRole: form["walkIn.role"], proceedReason: form["proceedReason"],
                earlyStartReason: form["earlyStartReason"]),
                expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .attendance).path + "?done=attendance")
    }
}
