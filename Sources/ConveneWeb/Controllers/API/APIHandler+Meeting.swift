import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// The meeting: attendance and quoracy (ATT-ALL-03), agenda notes (AGN-000-01, AGN-001-02),
/// the checklist (AGN-000-02) and each child's decisions (DEC-*).
extension APIHandler {
    func recordAttendance(_ input: APIOperations.RecordAttendance.Input) async throws -> APIOperations.RecordAttendance.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        var modes: [UUID: AttendanceMode] = [:]
        var checks = FieldChecks()
        var positions: [String: Int] = [:]
        for (i, row) in body.attendance.enumerated() {
            if modes[row.invitationId] != nil {
                checks.fail(FieldPath("attendance").index(i).appending("invitationId"), "This invitee is listed twice")
            }
            modes[row.invitationId] = try row.mode.term()
            positions[row.invitationId.slug] = i
        }
        try checks.finish()
        let record = Operations.AttendanceRecord(
            modes: modes, startedAt: body.startedAt, walkInName: body.walkIn?.name ?? "", walkInAgency: body.walkIn?.agency ?? "",
            walkInRole: body.walkIn?.role ?? "", proceedReason: body.proceedReason ?? "",
            earlyStartReason: body.earlyStartReason ?? "")
        // The page names an invitee's field `mode.<invitation id>`; here it is the row sent.
        let index = positions
        let rename: APIFieldNames.Rename = { path in
            guard path.hasPrefix("mode."), let i = index[String(path.dropFirst(5))] else { return nil }
            return "attendance[\(i)].invitationId"
        }
        let quoracy = try await APIFieldNames.renaming(rename) {
            try await Operations.recordAttendance(req.lifecycle, loaded, record, expectedVersion: body.expectedVersion)
        }
        return .ok(.init(body: .json(.init(quoracy: .init(quoracy), discussion: try await Self.summary(of: loaded.id, req)))))
    }

    func saveAgenda(_ input: APIOperations.SaveAgenda.Input) async throws -> APIOperations.SaveAgenda.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        try await Operations.saveSections(req.lifecycle, loaded, body.sections.additionalProperties, expectedVersion: body.expectedVersion)
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func saveChecklist(_ input: APIOperations.SaveChecklist.Input) async throws -> APIOperations.SaveChecklist.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        let answers = try body.checklist.additionalProperties.mapValues {
            ChecklistAnswer(response: try $0.response.term(), note: $0.note ?? "")
        }
        try await Operations.saveChecklist(req.lifecycle, loaded, answers, expectedVersion: body.expectedVersion)
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func getChildDecision(_ input: APIOperations.GetChildDecision.Input) async throws -> APIOperations.GetChildDecision.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        let childID = input.path.childId
        guard loaded.childIDs.contains(childID) else { throw Abort(.notFound) }
        try await req.logRead(AuditRecord("view", "discussion", id: loaded.id, caseID: loaded.caseRecord.id, childIDs: [childID],
                                          detail: "api: decisions"), discussion: loaded.id)
        let stored = try await RecordBuilder.decisions(loaded.id, on: req.db).first { $0.childID == childID }?.decision
        return .ok(.init(body: .json(try Schemas.ChildDecision(stored ?? ChildDecision()))))
    }

    func saveChildDecision(_ input: APIOperations.SaveChildDecision.Input) async throws -> APIOperations.SaveChildDecision.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        let childID = input.path.childId
        var checks = FieldChecks()
        let decision = try ChildDecision(body.decision, checks: &checks)
        try checks.finish()
        // The page names these fields `decisions.<child id>.…`; this body holds them under `decision`.
        try await APIFieldNames.renaming(APIFieldNames.table(["decisions." + childID.slug: "decision"])) {
            try await Operations.saveDecision(req.lifecycle, loaded, childID: childID, decision, expectedVersion: body.expectedVersion)
        }
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }
}
