import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Administration (issue 4, issue 5): the authority, its teams, people and retention")
struct AdministrationTests {
    @Test("Only administrators administer: a manager and an auditor are not allowed")
    func refusals() async throws {
        try await LifecycleWorld.run { world in
            for who in [Who.teamManager, .auditor, .serviceManager] {
                await expectNotAllowed { _ = try await Operations.administration(world.ctx(who), page: ListPage(number: 1, size: 50)) }
                await expectNotAllowed { try await Operations.addTeam(world.ctx(who), name: "New", locality: "East") }
                await expectNotAllowed { _ = try await Operations.outbox(world.ctx(who)) }
            }
        }
    }

    @Test("A person is added with a temporary password; a duplicate address in the authority and a missing team are named")
    func addPerson() async throws {
        try await LifecycleWorld.run { world in
            let ctx = world.ctx(.administrator)
            await expectInvalid("email") {
                _ = try await Operations.addPerson(ctx, .init(name: "Sam Two", email: Who.socialWorker.email, role: .partnerAgency,
                                                              agency: "police"))
            }
            await expectInvalid("team") {
                _ = try await Operations.addPerson(ctx, .init(name: "New Worker", email: "new@northtown.example", role: .socialWorker,
                                                              agency: "childrens-social-care"))
            }
            await expectInvalid("role") {
                _ = try await Operations.addPerson(ctx, .init(name: "No Role", email: "norole@northtown.example", role: nil, agency: "police"))
            }
            // Another authority's address is none of this one's business (issue 9).
            let created = try await Operations.addPerson(ctx, .init(name: "Elsie", email: Who.foreignManager.email, role: .partnerAgency,
                                                                    agency: "police", agencyRole: "Detective Sergeant"))
            let person = try #require(try await Person.query(on: world.db).filter(\.$organisation.$id == world.organisationID)
                .filter(\.$email == created.email).first())
            #expect(person.mustChangePassword && person.agencyRole == "detective-sergeant")
            #expect(LifecycleWorld.passwords.verify(created.password, person.passwordHash ?? ""))
        }
    }

    @Test("ASVS-5.0-7.4.2: disabling ends every session and token; disabling oneself is a conflict; another authority's person is not found")
    func updatePerson() async throws {
        try await LifecycleWorld.run { world in
            let ctx = world.ctx(.administrator)
            _ = try await Operations.createToken(world.ctx(.socialWorker), name: "Mine")
            try await Operations.updatePerson(ctx, personID: world.id(.socialWorker), .disable)
            #expect(try await APIToken.query(on: world.db).filter(\.$revokedAt == nil).count() == 0)
            #expect(try await Person.find(world.id(.socialWorker), on: world.db)?.disabledAt != nil)
            await expectConflict { try await Operations.updatePerson(ctx, personID: world.id(.administrator), .disable) }
            await expectNotFound { try await Operations.updatePerson(ctx, personID: world.id(.foreignManager), .unlock) }
            let reset = try await Operations.updatePerson(ctx, personID: world.id(.teamManager), .reset)
            #expect(reset.password != nil)
        }
    }

    @Test("The pack changes clear the cached pack at once; retention limits are named")
    func organisationAndRetention() async throws {
        try await LifecycleWorld.run { world in
            let ctx = world.ctx(.administrator)
            #expect(try await ctx.organisationPackID(world.organisationID) == "bradford")
            await expectInvalid("pack") { try await Operations.saveOrganisation(ctx, packID: "atlantis", name: "Northtown") }
            try await Operations.saveOrganisation(ctx, packID: "hertfordshire", name: "Northtown")
            #expect(try await ctx.organisationPackID(world.organisationID) == "hertfordshire")
            await expectInvalid("recordsUntilAge") {
                try await Operations.saveRetention(ctx, recordsUntilAge: 5, auditYears: 30, notConvenedYears: 6)
            }
            try await Operations.saveRetention(ctx, recordsUntilAge: 30, auditYears: 30, notConvenedYears: 6)
            #expect(try await Operations.retention(ctx).0.retention.recordsUntilAge == 30)
        }
    }

    @Test("Setting up from the command line: an authority on another pack is refused naming `pack`")
    func setup() async throws {
        try await LifecycleWorld.run { world in
            let system = world.ctx(nil)
            await expectInvalid("pack") {
                do {
                    _ = try await Operations.createAdministrator(system, organisation: "Northtown", pack: "hertfordshire", adminName: "Bo",
                                                                 email: "bo@northtown.example")
                } catch let error as InputError {
                    throw ValidationFailure(error)
                }
            }
            let password = try await Operations.createAdministrator(system, organisation: "Northtown", pack: "bradford", adminName: "Bo",
                                                                    email: "bo@northtown.example")
            #expect(!password.isEmpty)
            let reports = try await Operations.retentionReports(system)
            #expect(reports.map(\.0) == ["Elsewhere", "Northtown"])
        }
    }
}
