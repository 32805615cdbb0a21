import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// The demonstration authority (`convene serve --demo`): made-up people of every role and a
/// few discussions at different stages, so a new user can try every step at once.
public enum DemoAuthority {
    public static let password = "Strategy-Demo-2026"
    public static let domain = "northtown.example"

    public struct Account: Sendable {
        public let email: String
        public let name: String
        public let role: Role
        public let agency: String
        public let agencyRole: String
        public let team: Int?
    }

    public static let accounts: [Account] = [
        Account(email: "sam.social@\(domain)", name: "Sam Okafor", role: .socialWorker, agency: "childrens-social-care",
                agencyRole: "social-worker", team: 0),
        Account(email: "tara.manager@\(domain)", name: "Tara Whitfield", role: .teamManager, agency: "childrens-social-care",
                agencyRole: "team-manager", team: 0),
        Account(email: "sara.service@\(domain)", name: "Sara Lindqvist", role: .serviceManager, agency: "childrens-social-care",
                agencyRole: "service-manager", team: nil),
        Account(email: "mina.minutes@\(domain)", name: "Mina Patel", role: .minuteTaker, agency: "childrens-social-care",
                agencyRole: "business-support", team: nil),
        Account(email: "paul.police@\(domain)", name: "DS Paul Grant", role: .partnerAgency, agency: "police",
                agencyRole: "jcpit-manager", team: nil),
        Account(email: "hana.health@\(domain)", name: "Hana Novak", role: .partnerAgency, agency: "health",
                agencyRole: "named-nurse", team: nil),
        Account(email: "eddie.education@\(domain)", name: "Eddie Marsh", role: .partnerAgency, agency: "education",
                agencyRole: "designated-safeguarding-lead", team: nil),
        Account(email: "oliver.other@\(domain)", name: "Oliver Reyes", role: .socialWorker, agency: "childrens-social-care",
                agencyRole: "social-worker", team: 1),
        Account(email: "adam.admin@\(domain)", name: "Adam Fletcher", role: .administrator, agency: "childrens-social-care",
                agencyRole: "administrator", team: nil),
        Account(email: "audrey.auditor@\(domain)", name: "Audrey Kim", role: .auditor, agency: "childrens-social-care",
                agencyRole: "auditor", team: nil),
    ]

    /// Seeds the demonstration authority on `packID` if the database has no organisation yet.
    /// Returns whether it did.
    @discardableResult
    public static func seedIfEmpty(_ ctx: LifecycleContext, packID: String) async throws -> Bool {
        guard try await Organisation.query(on: ctx.db).count() == 0 else { return false }
        guard let pack = ctx.packs.pack(packID) else {
            throw InputError(field: "CONVENE_DEMO_PACK", "CONVENE_DEMO_PACK names no pack: \(packID)")
        }
        let hash = try ctx.passwords.hash(password)
        let now = ctx.now
        // The discussions' performance facts (issue 13) are written with them, in this transaction.
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            let org = Organisation(name: "Northtown Borough Council (demonstration)", packID: pack.id)
            try await org.create(on: db)
            let orgID = try org.requireID()
            let teams = [Team(organisationID: orgID, name: "Assessment and Intervention North", locality: "North"),
                         Team(organisationID: orgID, name: "Children and Families South", locality: "South")]
            for team in teams { try await team.create(on: db) }
            var people: [String: Person] = [:]
            for account in accounts {
                let person = Person(organisationID: orgID, teamID: account.team.map { teams[$0].id! }, name: account.name,
                                    email: account.email, role: account.role, agency: account.agency,
                                    agencyRole: account.agencyRole, passwordHash: hash)
                try await person.create(on: db)
                people[account.email] = person
            }
            // A few discussions at every stage, so each step can be tried at once.
            func who(_ prefix: String) -> Person { people.first { $0.key.hasPrefix(prefix) }!.value }
            let staff = SyntheticData.Staff(socialWorkers: [who("sam."), who("oliver.")], managers: [who("tara.")],
                                            serviceManagers: [who("sara.")], minuteTakers: [who("mina.")],
                                            partners: [who("paul."), who("hana."), who("eddie.")])
            var generator = SyntheticData(seed: 42)
            try await generator.discussions(count: 9, organisation: org, pack: pack, teams: [teams[0]], staff: staff,
                                            now: now, referenceStart: 1,
                                            stages: [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised,
                                                     .circulated, .circulated, .declined], on: db)
            return ((), [AuditRecord("create", "organisation", id: orgID, detail: "demonstration data")])
        }
        return true
    }

    /// What `serve --demo` prints: where it runs and the accounts to sign in with.
    public static func welcome(url: String) -> String {
        var lines = ["", "Convene demonstration is running at \(url)", "Sign in with any of these accounts; the password is \(password)", ""]
        for account in accounts {
            lines.append("  \(account.email.padding(toLength: 34, withPad: " ", startingAt: 0)) \(account.role.label)")
        }
        lines.append("")
        lines.append("Administrators set up a security code (TOTP) at first sign-in.")
        return lines.joined(separator: "\n") + "\n"
    }
}
