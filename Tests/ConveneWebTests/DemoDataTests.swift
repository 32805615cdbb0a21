import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import ConveneTestSupport
import Testing
import VaporTesting

/// `convene serve --demo` on an empty database: the demonstration authority, its accounts and
/// a discussion at every stage, written once, in one audited transaction.
@Suite("Demonstration data")
struct DemoDataTests {
    @Test("The demo seeds once: every account signs in with the printed password; a discussion at each stage, finished ones with their record versions")
    func seedsOnce() async throws {
        let directory = try TestDatabase.makeDirectory()
        defer { TestDatabase.remove(directory) }
        let app = try await Application.make(.testing)
        do {
            let options = ConveneOptions(database: .sqlite(path: directory.appendingPathComponent("demo.sqlite").path), passwordCost: 4, clock: { at("2026-11-23T09:00:00Z") },
                                         rootDirectory: ConveneOptions.detectRoot())
            try await configure(app, options: options)
            #expect(try await DemoData.seedIfEmpty(app))
            #expect(try await !DemoData.seedIfEmpty(app), "a second start must not seed again")

            let people = try await Person.query(on: app.db).all()
            #expect(Set(people.map(\.email)) == Set(DemoData.accounts.map(\.email)))
            for person in people {
                #expect(Passwords.verify(DemoData.password, against: person.passwordHash ?? ""), "\(person.email)")
            }
            let discussions = try await Discussion.query(on: app.db).all()
            #expect(Set(discussions.map(\.stage)) == [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised,
                                                      .circulated, .declined])
            for d in discussions {
                let versions = try await RecordVersion.query(on: app.db).filter(\.$discussion.$id == d.id!).count()
                #expect(versions == d.recordVersion, "\(d.reference) at \(d.stage) has \(versions) versions, says \(d.recordVersion)")
            }
            let audit = try await AuditTrail.verify(on: app.db)
            #expect(audit.ok && audit.entries > 0)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
