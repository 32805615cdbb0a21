import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// `convene seed --discussions N`: synthetic authorities (one per 10,000 discussions, packs in
/// turn), their teams and people, and discussions at every stage.
public enum Seeder {
    public struct Summary: Sendable {
        public let organisations: Int
        public let people: Int
        public let discussions: Int
        public let seconds: Double
    }

    /// Everyone's password is the demonstration's (`DemoAuthority.password`).
    public static func seed(_ ctx: LifecycleContext, discussions: Int, perOrganisation: Int = 10_000, seed: UInt64 = 2026,
                            log: @escaping @Sendable (String) -> Void = { print($0) }) async throws -> Summary {
        let started = Date()
        let organisations = max(1, (discussions + perOrganisation - 1) / perOrganisation)
        let packs = ctx.packs.packs
        let hash = try ctx.passwords.hash(DemoAuthority.password)
        let existing = try await Organisation.query(on: ctx.db).count()
        var generator = SyntheticData(seed: seed &+ UInt64(existing))
        var peopleCount = 0
        var remaining = discussions
        let now = ctx.now
        for index in 0..<organisations {
            let pack = packs[(existing + index) % packs.count]
            let name = "Synthetic Borough \(existing + index + 1)"
            let domain = "synthetic\(existing + index + 1).example"
            let (org, teams, staff) = try await authority(name: name, domain: domain, pack: pack, hash: hash, generator: &generator, on: ctx.db)
            peopleCount += staff.socialWorkers.count + staff.managers.count + staff.serviceManagers.count + staff.minuteTakers.count
                + staff.partners.count + 2
            let count = min(perOrganisation, remaining)
            remaining -= count
            log("\(name) (\(pack.id)): \(count) discussions…")
            try await generator.discussions(count: count, organisation: org, pack: pack, teams: teams, staff: staff, now: now,
                                            referenceStart: 1, on: ctx.db) { written in
                if written % 2_000 == 0 { log("  \(written)") }
            }
            try await ctx.db.audit([AuditRecord("seed", "organisation", id: org.id, detail: "\(count) synthetic discussions")],
                                   by: ctx.actor, now: now)
        }
        return Summary(organisations: organisations, people: peopleCount, discussions: discussions,
                       seconds: Date().timeIntervalSince(started))
    }

    static func authority(name: String, domain: String, pack: ProcedurePack, hash: String, generator: inout SyntheticData,
                          on db: any Database) async throws -> (Organisation, [Team], SyntheticData.Staff) {
        let org = Organisation(name: name, packID: pack.id)
        try await org.create(on: db)
        let orgID = org.id!
        let localities = ["North", "South", "East", "West", "Central", "Keighley"]
        let teams = localities.map { Team(organisationID: orgID, name: "Assessment and Intervention \($0)", locality: $0) }
        try await teams.create(on: db)
        var people: [Person] = []
        func person(_ role: Role, _ agency: String, _ agencyRole: String, team: Team?) -> Person {
            let name = generator.name()
            let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + ".\(people.count)@\(domain)"
            let p = Person(id: UUID(), organisationID: orgID, teamID: team?.id, name: name, email: email, role: role, agency: agency,
                           agencyRole: agencyRole, passwordHash: hash)
            people.append(p)
            return p
        }
        var staff = SyntheticData.Staff(socialWorkers: [], managers: [], serviceManagers: [], minuteTakers: [], partners: [])
        for team in teams {
            staff.managers.append(person(.teamManager, "childrens-social-care", "team-manager", team: team))
            for _ in 0..<8 { staff.socialWorkers.append(person(.socialWorker, "childrens-social-care", "social-worker", team: team)) }
        }
        for _ in 0..<3 { staff.serviceManagers.append(person(.serviceManager, "childrens-social-care", "service-manager", team: nil)) }
        for _ in 0..<4 { staff.minuteTakers.append(person(.minuteTaker, "childrens-social-care", "business-support", team: nil)) }
        for _ in 0..<10 { staff.partners.append(person(.partnerAgency, "police", "jcpit-manager", team: nil)) }
        for _ in 0..<10 { staff.partners.append(person(.partnerAgency, "health", "named-nurse", team: nil)) }
        for _ in 0..<6 { staff.partners.append(person(.partnerAgency, "education", "designated-safeguarding-lead", team: nil)) }
        _ = person(.administrator, "childrens-social-care", "administrator", team: nil)
        _ = person(.auditor, "childrens-social-care", "auditor", team: nil)
        try await people.create(on: db)
        return (org, teams, staff)
    }
}
