import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Setting up an authority from the command line (`convene admin …`), acting as the system:
/// its first administrator, its booking calendars and the areas its teams cover.
extension Operations {
    /// Creates an authority (if new) on a pack, and an administrator with a temporary password,
    /// which it returns. An authority runs one procedure: an existing one on another pack is
    /// refused, not silently kept.
    public static func createAdministrator(_ ctx: LifecycleContext, organisation name: String, pack: String, adminName: String,
                                           email: String) async throws -> String {
        guard ctx.packs.pack(pack) != nil else {
            throw InputError(field: "", "unknown pack \(pack); known: " + ctx.packs.packs.map(\.id).joined(separator: ", "))
        }
        guard EmailAddress.isPlausible(email) else { throw InputError(field: "", "not an email address: \(email)") }
        if let existing = try await Organisation.query(on: ctx.db).filter(\.$name == name).first(), existing.packID != pack {
            throw InputError(field: "pack", "\(name) already exists on the procedure pack \"\(existing.packID)\", not \"\(pack)\"; "
                + "an authority has one pack: give --pack \(existing.packID) to add an administrator to it")
        }
        let password = Credentials.temporaryPassword()
        let hash = try ctx.passwords.hash(password)
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            var found = try await Organisation.query(on: db).filter(\.$name == name).first()
            if found == nil {
                let created = Organisation(name: name, packID: pack)
                try await created.create(on: db)
                found = created
            }
            let org = found!
            let person = Person(organisationID: org.id!, teamID: nil, name: adminName, email: email, role: .administrator,
                                agency: "childrens-social-care", agencyRole: "administrator", passwordHash: hash)
            person.mustChangePassword = true
            try await person.create(on: db)
            return ((), [AuditRecord("create", "person", id: person.id, detail: "administrator")])
        }
        return password
    }

    /// A booking calendar of an authority whose pack books against calendars (capacity
    /// belongs to a calendar, SLOT-*).
    public static func createCalendar(_ ctx: LifecycleContext, organisation name: String, name calendarName: String,
                                      locality: String) async throws {
        let org = try await organisation(named: name, ctx)
        let orgID = try org.requireID()
        guard let pack = ctx.packs.pack(org.packID) else {
            throw InputError(field: "organisation", "\(name)'s procedure pack \(org.packID) is missing")
        }
        guard pack.slots.bookedAgainst == .calendar else {
            throw InputError(field: "organisation", "\(name)'s procedure (\(pack.id)) books each discussion against its chair, not a calendar")
        }
        let trimmed = calendarName.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw InputError(field: "name", "give the calendar a name") }
        if try await BookingCalendar.query(on: ctx.db).filter(\.$organisationID == orgID).filter(\.$name == trimmed).first() != nil {
            throw InputError(field: "name", "\(name) already has a calendar called \(trimmed)")
        }
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            let calendar = BookingCalendar(organisationID: orgID, name: trimmed, locality: locality.trimmingCharacters(in: .whitespaces))
            try await calendar.create(on: db)
            return ((), [AuditRecord("create", "calendar", id: calendar.id, detail: "\(trimmed) (\(calendar.locality))")])
        }
    }

    /// The areas a team covers (REQ-003-01: an s47 enquiry goes to the team of the child's area).
    public static func setTeamAreas(_ ctx: LifecycleContext, organisation name: String, team teamName: String, areas: String)
        async throws
    {
        let org = try await organisation(named: name, ctx)
        guard let team = try await Team.query(on: ctx.db).filter(\.$organisation.$id == org.requireID())
            .filter(\.$name == teamName).first() else {
            throw InputError(field: "team", "\(name) has no team called \(teamName)")
        }
        let list = areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty, list.allSatisfy({ $0.count <= 200 }) else { throw InputError(field: "areas", "list at least one area") }
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            team.areas = list
            try await team.save(on: db)
            return ((), [AuditRecord("update", "team", id: team.id, detail: "areas: " + list.joined(separator: ", "))])
        }
    }

    /// Every authority's retention report, by name (`convene retention`: a dry run).
    public static func retentionReports(_ ctx: LifecycleContext) async throws -> [(String, RetentionReport)] {
        var reports: [(String, RetentionReport)] = []
        for org in try await Organisation.query(on: ctx.db).sort(\.$name).all() {
            reports.append((org.name, try await RetentionReport.build(organisation: org, now: ctx.now, on: ctx.db)))
        }
        return reports
    }

    static func organisation(named name: String, _ ctx: LifecycleContext) async throws -> Organisation {
        guard let org = try await Organisation.query(on: ctx.db).filter(\.$name == name).first() else {
            throw InputError(field: "organisation", "there is no authority called \(name)")
        }
        return org
    }
}
