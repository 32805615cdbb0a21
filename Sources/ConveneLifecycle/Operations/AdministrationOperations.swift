import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Administration of an authority (issue 4 tenancy, issue 5 accounts): its procedure pack,
/// teams, people and retention. Administrators manage accounts; they do not read case records.
extension Operations {
    public static func requireAdministrator(_ ctx: LifecycleContext) throws -> CurrentUser {
        let user = try ctx.requireUser()
        guard user.may(.administer) else { throw LifecycleError.notAllowed("Only administrators can do that.") }
        return user
    }

    public struct Administration: Sendable {
        public let organisation: Organisation
        public let teams: [Team]
        /// One page of the authority's people, by name, and how many there are in all.
        public let people: [Person]
        public let total: Int
    }

    public static func administration(_ ctx: LifecycleContext, page window: ListPage) async throws -> Administration {
        let user = try requireAdministrator(ctx)
        guard let org = try await Organisation.find(user.organisationID, on: ctx.db), let orgID = org.id else {
            throw LifecycleError.notFound()
        }
        let teams = try await Team.query(on: ctx.db).filter(\.$organisation.$id == orgID).sort(\.$name).all()
        let query = Person.query(on: ctx.db).filter(\.$organisation.$id == orgID)
        let total = try await query.count()
        let people = try await query.sort(\.$name).range(window.range).all()
        return Administration(organisation: org, teams: teams, people: people, total: total)
    }

    /// The authority's name and the procedure it follows.
    public static func saveOrganisation(_ ctx: LifecycleContext, packID: String, name: String) async throws {
        let user = try requireAdministrator(ctx)
        var checks = FieldChecks()
        if ctx.packs.pack(packID) == nil { checks.fail("pack", "Choose a procedure pack") }
        checks.text(name, "orgName", "Enter the authority's name", max: 200)
        try checks.finish()
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            guard let org = try await Organisation.find(user.organisationID, on: db) else { throw LifecycleError.notFound() }
            let detail = org.packID == packID ? "" : "pack \(org.packID) → \(packID)"
            org.packID = packID
            org.name = name.trimmed
            try await org.save(on: db)
            return ((), [AuditRecord("update", "organisation", id: org.id, detail: detail)])
        }
        ctx.packCache.forget(user.organisationID)
    }

    public static func addTeam(_ ctx: LifecycleContext, name: String, locality: String) async throws {
        let user = try requireAdministrator(ctx)
        var checks = FieldChecks()
        checks.text(name, "teamName", "Enter the team's name", max: 200)
        checks.text(locality, "teamLocality", "Enter the team's locality", max: 200)
        try checks.finish()
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            let team = Team(organisationID: user.organisationID, name: name.trimmed, locality: locality.trimmed)
            try await team.create(on: db)
            return ((), [AuditRecord("create", "team", id: team.id, detail: team.name)])
        }
    }

    public struct NewPerson: Sendable {
        public var name: String
        public var email: String
        public var role: Role?
        public var agency: String
        public var agencyRole: String
        public var teamID: UUID?

        public init(name: String, email: String, role: Role?, agency: String, agencyRole: String = "", teamID: UUID? = nil) {
            self.name = name
            self.email = email
            self.role = role
            self.agency = agency
            self.agencyRole = agencyRole
            self.teamID = teamID
        }
    }

    /// An account with a temporary password, changed at the first sign-in before anything
    /// else (ASVS-5.0-6.2.3). Returns the address and the password, to be given once.
    public static func addPerson(_ ctx: LifecycleContext, _ input: NewPerson) async throws -> (email: String, password: String) {
        let user = try requireAdministrator(ctx)
        var checks = FieldChecks()
        checks.text(input.name, "name", "Enter their full name", max: 200)
        let email = input.email.trimmed.lowercased()
        if !EmailAddress.isPlausible(email) { checks.fail("email", "Enter an email address in the correct format, like name@example.org") }
        // Unique within the authority only: whether another authority knows the address is
        // none of this one's business (issue 9), and a partner agency's officer may work with both.
        if try await Person.query(on: ctx.db).filter(\.$organisation.$id == user.organisationID).filter(\.$email == email)
            .count() > 0 {
            checks.fail("email", "Someone in your authority already has this email address")
        }
        if input.role == nil { checks.fail("role", "Choose their role") }
        let pack = try await ctx.ownPack()
        if !pack.agencies.contains(where: { $0.id == input.agency }) { checks.fail("agency", "Choose their agency") }
        checks.limit(input.agencyRole, "agencyRole", max: 100)
        if let teamID = input.teamID, try await Team.find(teamID, on: ctx.db)?.$organisation.id != user.organisationID {
            checks.fail("team", "Choose a team of this authority")
        }
        if (input.role == .socialWorker || input.role == .teamManager) && input.teamID == nil {
            checks.fail("team", "Social workers and team managers belong to a team")
        }
        try checks.finish()
        guard let role = input.role else { throw ValidationFailure(errors: checks.errors) }
        let password = Credentials.temporaryPassword()
        let hash = try ctx.passwords.hash(password)
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            let person = Person(organisationID: user.organisationID, teamID: input.teamID, name: input.name.trimmed, email: email,
                                role: role, agency: input.agency,
                                agencyRole: input.agencyRole.trimmed.lowercased().replacingOccurrences(of: " ", with: "-"),
                                passwordHash: hash)
            person.mustChangePassword = true
            try await person.create(on: db)
            return ((), [AuditRecord("create", "person", id: person.id, detail: "\(role.rawValue)")])
        }
        return (email, password)
    }

    /// What an administrator does to an account.
    public enum AccountAction: String, Sendable, CaseIterable {
        /// Ends every session and token (ASVS-5.0-7.4.2).
        case disable
        case enable
        /// Clears the lock-out after failed sign-ins.
        case unlock
        /// A temporary password, every session and token ended.
        case reset
    }

    /// Returns the person's address and, for a reset, the temporary password to give them once.
    @discardableResult
    public static func updatePerson(_ ctx: LifecycleContext, personID id: UUID, _ action: AccountAction) async throws
        -> (email: String, password: String?)
    {
        let user = try requireAdministrator(ctx)
        guard let person = try await Person.find(id, on: ctx.db), person.$organisation.id == user.organisationID else {
            throw LifecycleError.notFound()
        }
        if action == .disable && id == user.id { throw LifecycleError.conflict("You cannot disable your own account.") }
        let now = ctx.now
        let password = action == .reset ? Credentials.temporaryPassword() : nil
        let hash = try password.map(ctx.passwords.hash)
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            switch action {
            case .disable:
                person.disabledAt = now
                try await Credentials.revokeAll(personID: id, now: now, db: db)
            case .enable:
                person.disabledAt = nil
            case .unlock:
                person.lockedUntil = nil
                person.failedLogins = 0
            case .reset:
                person.passwordHash = hash
                person.mustChangePassword = true
                person.lockedUntil = nil
                person.failedLogins = 0
                try await Credentials.revokeAll(personID: id, now: now, db: db)
            }
            try await person.save(on: db)
            return ((), [AuditRecord("person-" + action.rawValue, "person", id: id)])
        }
        return (person.email, password)
    }

    /// The messages Convene has queued for the authority (the latest 100); looking is audited.
    public static func outbox(_ ctx: LifecycleContext) async throws -> [OutboxMessage] {
        let user = try requireAdministrator(ctx)
        let rows = try await OutboxMessage.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
            .sort(\.$createdAt, .descending).limit(100).all()
        try await ctx.db.audit([AuditRecord("view", "outbox", detail: "\(rows.count) messages")], by: ctx.actor, now: ctx.now)
        return rows
    }

    /// The authority's retention policy and what it says may now be reviewed (a dry run).
    public static func retention(_ ctx: LifecycleContext) async throws -> (Organisation, RetentionReport) {
        let user = try requireAdministrator(ctx)
        guard let org = try await Organisation.find(user.organisationID, on: ctx.db) else { throw LifecycleError.notFound() }
        return (org, try await RetentionReport.build(organisation: org, now: ctx.now, on: ctx.db))
    }

    public static func saveRetention(_ ctx: LifecycleContext, recordsUntilAge age: Int?, auditYears audit: Int?,
                                     notConvenedYears notConvened: Int?) async throws {
        let user = try requireAdministrator(ctx)
        var checks = FieldChecks()
        if age == nil || age! < 18 || age! > 120 { checks.fail("recordsUntilAge", "Enter an age from 18 to 120") }
        if audit == nil || audit! < 6 || audit! > 100 { checks.fail("auditYears", "Enter a number of years from 6 to 100") }
        if notConvened == nil || notConvened! < 1 || notConvened! > 100 { checks.fail("notConvenedYears", "Enter a number of years from 1 to 100") }
        try checks.finish()
        guard let age, let audit, let notConvened else { throw ValidationFailure(errors: checks.errors) }
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            guard let org = try await Organisation.find(user.organisationID, on: db) else { throw LifecycleError.notFound() }
            org.retention = RetentionPolicy(recordsUntilAge: age, auditYears: audit, notConvenedYears: notConvened)
            try await org.save(on: db)
            return ((), [AuditRecord("update", "retention", id: org.id, detail: "\(age)/\(audit)/\(notConvened)")])
        }
    }
}

extension Person {
    /// Locked out after repeated failed sign-ins, until `lockedUntil`.
    public func isLocked(at now: Date) -> Bool {
        (lockedUntil ?? .distantPast) > now
    }

    /// "Disabled", "Locked" or "Active", as administration lists the account.
    public func accountStatus(at now: Date) -> String {
        disabledAt != nil ? "Disabled" : (isLocked(at: now) ? "Locked" : "Active")
    }
}
