import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// The audit trail for auditors (issue 5): search it, see who viewed or changed a child's
/// records, and verify it. Every look at the trail is itself audited.
extension Operations {
    public static func requireAuditor(_ ctx: LifecycleContext) throws -> CurrentUser {
        let user = try ctx.requireUser()
        guard user.may(.viewAudit) else { throw LifecycleError.notAllowed("Only auditors can read the audit trail.") }
        return user
    }

    public struct AuditFilter: Sendable {
        /// The actions the trail can be searched by; any other is no filter.
        public static let searchableActions = [
            "view", "create", "update", "record-edit", "login", "login-failed", "access-denied", "export", "decide", "book", "rebook",
            "cancel", "finalise", "authorise", "circulate", "break-glass", "disclosure-grant", "disclosure-refuse",
            "correction-submit", "person-disable",
        ]

        public var child: UUID?
        public var action: String
        public var from: Date?
        /// Exclusive.
        public var to: Date?
        public var flaggedOnly: Bool
        public var page: ListPage

        public init(child: UUID? = nil, action: String = "", from: Date? = nil, to: Date? = nil, flaggedOnly: Bool = false,
                    page: ListPage = ListPage(number: 1, size: 50)) {
            self.child = child
            self.action = Self.searchableActions.contains(action) ? action : ""
            self.from = from
            self.to = to
            self.flaggedOnly = flaggedOnly
            self.page = page
        }
    }

    public struct AuditTrailPage: Sendable {
        public let entries: [AuditEntry]
        /// The child the trail was filtered by, when they are of the auditor's authority.
        public let childName: String?
        /// What each entry is about, in words: "discussion SD-2026-00001/1".
        public let objects: [Int: String]
    }

    /// The authority's entries, newest first, one page of them.
    public static func auditTrail(_ ctx: LifecycleContext, _ filter: AuditFilter) async throws -> AuditTrailPage {
        let user = try requireAuditor(ctx)
        var query = AuditEntry.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
        var childName: String?
        if let child = filter.child {
            query = query.filter(\.$childIDs, .contains(inverse: false, .anywhere), child.slug)
            childName = try await CaseChild.find(child, on: ctx.db).flatMap { $0.organisationID == user.organisationID ? $0.name : nil }
        }
        if !filter.action.isEmpty { query = query.filter(\.$action == filter.action) }
        if let from = filter.from { query = query.filter(\.$at >= from) }
        if let to = filter.to { query = query.filter(\.$at < to) }
        if filter.flaggedOnly { query = query.filter(\.$flagged == true) }
        let entries = try await query.sort(\.$seq, .descending).range(filter.page.range).all()
        let ids = entries.compactMap(\.objectID) + entries.compactMap(\.caseID)
        let discussions = ids.isEmpty ? [] : try await Discussion.query(on: ctx.db).filter(\.$id ~~ ids).all()
        let cases = ids.isEmpty ? [] : try await Case.query(on: ctx.db).filter(\.$id ~~ ids).all()
        var objects: [Int: String] = [:]
        for e in entries {
            if let id = e.objectID, let d = discussions.first(where: { $0.id == id }) {
                objects[e.seq] = "\(e.objectType) \(d.reference)"
            } else if let id = e.caseID, let c = cases.first(where: { $0.id == id }) {
                objects[e.seq] = "\(e.objectType) (case \(c.reference))"
            } else {
                objects[e.seq] = e.objectType
            }
        }
        try await ctx.db.audit([AuditRecord("view", "audit-trail", detail: filter.child.map { "child \($0.slug)" } ?? "search")],
                               by: ctx.actor, now: ctx.now)
        return AuditTrailPage(entries: entries, childName: childName, objects: objects)
    }

    /// Children of the authority whose name contains `name` (at most 50), with their case's
    /// reference, to follow into the trail.
    public static func findChildren(_ ctx: LifecycleContext, name: String) async throws -> [(child: CaseChild, reference: String)] {
        let user = try requireAuditor(ctx)
        let text = name.trimmed.lowercased()
        guard !text.isEmpty else { return [] }
        let children = try await CaseChild.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
            .filter(\.$searchName, .contains(inverse: false, .anywhere), text).limit(50).all()
        let cases = try await Case.query(on: ctx.db).filter(\.$id ~~ children.map { $0.$case.id }).all()
        return children.map { child in (child, cases.first { $0.id == child.$case.id }?.reference ?? "") }
    }

    /// The chain, the head against every signed checkpoint, and the seals; the check is audited.
    public static func verifyAuditTrail(_ ctx: LifecycleContext, checkpoints: AuditCheckpoints?) async throws
        -> AuditTrail.Verification
    {
        _ = try requireAuditor(ctx)
        let result = try await AuditTrail.verify(on: ctx.db, checkpoints: checkpoints?.read() ?? [])
        try await ctx.db.audit([AuditRecord("audit-verify", "audit-trail", detail: result.ok ? "intact" : "broken at \(result.brokenAt ?? 0)")],
                               by: ctx.actor, now: ctx.now)
        return result
    }
}
