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

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        return try await render(req, loaded, state: AttendancePage.values(loaded, now: req.now))
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let page = AttendancePage(loaded, state: state)
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
            let state = FormState(form: form, errors: failure.errors)
            if MeetingController.returnsToMeeting(form) {
                return try await MeetingController.renderMeeting(req, loaded, override: .attendance(state), errors: failure.errors)
            }
            return try await render(req, loaded, state: state, errors: failure.errors)
        }
        if MeetingController.returnsToMeeting(form) {
            return req.redirect(to: MeetingController.meetingPath(loaded, done: "attendance", anchor: "attendance"))
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .attendance).path + "?done=attendance")
    }
}
