import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Issue 13 (OVS-ALL-01): writes the oversight facts of every discussion again from its case's
/// timeline (`convene oversight rebuild`): after an upgrade, after bulk loading, or to make
/// sure. Cases are read a page at a time; each page is one audited transaction.
public enum OversightRebuild {
    public struct Summary: Sendable {
        public var cases = 0
        public var discussions = 0
        public var seconds = 0.0
    }

    /// `only`: the authorities to rebuild (nil: every one).
    public static func run(_ ctx: LifecycleContext, only: [UUID]? = nil, pageSize: Int = 200) async throws -> Summary {
        let started = Date()
        let asOf = ctx.now
        var summary = Summary()
        var organisations = try await Organisation.query(on: ctx.db).sort(\.$name).all()
        if let only { organisations = organisations.filter { $0.id.map(only.contains) ?? false } }
        for organisation in organisations {
            guard let orgID = organisation.id else { continue }
            guard let pack = ctx.packs.pack(organisation.packID) else { throw MissingPack(organisationID: orgID) }
            var after: UUID?
            while true {
                var query = Case.query(on: ctx.db).filter(\.$organisation.$id == orgID).sort(\.$id).limit(pageSize)
                if let after { query = query.filter(\.$id > after) }
                let ids = try await query.all().compactMap(\.id)
                guard let last = ids.last else { break }
                after = last
                let written = try await ctx.db.audited(by: ctx.actor, now: asOf) { db in
                    var n = 0
                    for id in ids {
                        guard let timeline = try await CaseTimeline.load(caseID: id, on: db),
                              let oversight = try await timeline.oversightCase(on: db) else { continue }
                        let facts = oversight.facts(pack: pack, asOf: asOf)
                        try await OversightFactsStore.save(facts, on: db)
                        n += facts.count
                    }
                    return (n, [AuditRecord("oversight-rebuild", "organisation", id: orgID,
                                            detail: "\(ids.count) cases, \(n) discussions")])
                }
                summary.cases += ids.count
                summary.discussions += written
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
