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
                           role: InvitationsController.roleLabel(invitation.role), invited: invitation.invited, mode: choice)
            },
            startedAt: state.date("startedAt", "When did the meeting start?", hint: "UK time", withTime: true),
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
        try StageError.check(.editRecord, at: loaded.discussion.stage)
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
        if startedAt == nil && checks.isValid { checks.fail("startedAt", "Enter when the meeting started") }
        if let startedAt, startedAt > req.now.addingTimeInterval(3600) {
            checks.fail("startedAt", "The meeting cannot start more than an hour from now")
        }
        let walkInName = form["walkIn.name"].trimmed
        if !walkInName.isEmpty && !loaded.pack.agencies.contains(where: { $0.id == form["walkIn.agency"] }) {
            checks.fail("walkIn.agency", "Choose the agency of \(walkInName)")
        }
        checks.limit(form["proceedReason"], "proceedReason", max: 4000)
        guard checks.isValid, let startedAt else {
            return try await render(req, loaded, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let now = req.now
        let chosen = modes
        try await DiscussionWriter.update(loaded, req, expectedVersion: DiscussionWriter.expectedVersion(form)) { d, db in
            try StageError.check(.editRecord, at: d.stage)
            let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).all()
            for invitation in invitations {
                let mode = chosen[invitation.id!]
                if invitation.attendance != mode {
                    invitation.attendance = mode
                    try await invitation.save(on: db)
                }
            }
            var all = invitations
            if !walkInName.isEmpty {
                let walkIn = Invitation(discussionID: loaded.id, organisationID: d.organisationID, personID: nil, name: walkInName,
                                        email: "", agency: form["walkIn.agency"],
                                        role: form["walkIn.role"].trimmed.lowercased().replacingOccurrences(of: " ", with: "-"),
                                        rule: "", reason: "Attended without an invitation", invited: false)
                walkIn.attendance = .inPerson
                try await walkIn.create(on: db)
                all.append(walkIn)
            }
            let entries = all.map(\.entry)
            var (check, _) = QuoracyCheck.check(pack: loaded.pack, entries: entries, urgent: d.urgency == .immediate,
                                                concerns: loaded.caseRecord.concerns, circumstances: d.request.circumstances,
                                                at: now)
            check.proceedReason = check.quorate ? "" : form["proceedReason"].trimmed
            d.quoracy = check
            d.startedAt = startedAt
            if d.stage == .booked { d.stage = .inMeeting }
            let summary = check.quorate ? (check.urgentException ? "quorate under the urgent exception" : "quorate")
                : "not quorate" + (check.proceedReason.isEmpty ? "" : ", chair proceeded")
            return ((), [loaded.audit("attendance", reason: check.proceedReason, detail: summary)])
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .attendance).path + "?done=attendance")
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
