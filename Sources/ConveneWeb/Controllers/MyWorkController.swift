import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// "My work": what this person must do next – decisions to make, meetings to book and
/// attend, records to finalise, authorise and circulate, corrections to decide, and their
/// own actions, overdue first (ACT-ALL-03).
enum MyWorkController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("my-work", use: show)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let work = try await MyWork.load(req.lifecycle)
        switch work.elsewhere {
        case let .discussion(id): return req.redirect(to: SiteURL.discussion(id).path)
        case .administration: return req.redirect(to: SiteURL.admin.path)
        case .auditTrail: return req.redirect(to: SiteURL.audit.path)
        case nil: break
        }
        let today = EuropeLondon.localDate(of: req.now)
        // The children's names of every discussion shown, read (and logged) once.
        let names = try await childNames(work.caseIDs, req, today: today)
        // The button names the meeting as the authority's procedure does (issue 14).
        let meetingName = user.may(.createRequest) ? (try? await req.lifecycle.ownPack())?.meetingName : nil
        let page = MyWorkPage(work, names: names, user: user, today: today, meetingName: meetingName ?? "strategy discussion")
        return try await req.page("my-work", title: "My work", page)
    }

    /// "Amira Khan (7), Zain Khan (4)" per case. Showing them is a read of those children's
    /// details: logged, naming every child shown (issue 9).
    static func childNames(_ caseIDs: [UUID], _ req: Request, today: LocalDate) async throws -> [UUID: String] {
        let children = try await Operations.childNames(req.lifecycle, ofCases: caseIDs)
        if !children.isEmpty {
            try await req.logRead(AuditRecord("view", "list", childIDs: children.map(\.id), detail: "names on " + req.url.path))
        }
        return Display.childNames(children, today: today)
    }
}
