import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: REQ-002-01, Hertfordshire's S47 Strategy Teleconference Request to police and
/// health, "password protected".
@Suite("Procedures: teleconference request")
struct TeleconferenceRequestTests {
    @Test("REQ-002-01: police and health get the titled request with only a personal link; the extract opens with a code sent separately")
    func hertfordshireRequest() async throws {
        try await TestWorld.run(pack: "hertfordshire") { world in
            let fields = world.requestFields().setting("children[0].caseNumber", "LCS-123456")
            let id = try await world.requestDiscussion(fields: fields)
            try await world.advance(id, to: .awaitingBooking, cast: .ownTeam)
            // The teleconference is captured as fields.
            let minutes = try await world.browser(.minuteTaker)
            let slot = try await world.firstOfferedSlot(id, as: minutes)
            let bare = try await minutes.post("/discussions/\(id.slug)/booking", [
                ("slot", slot), ("format", "phone"), ("chair", world.people[.teamManager]!.slug), ("version", try await world.version(id)),
            ])
            expectFieldError(bare, "dialIn")
            expectFieldError(bare, "accessCode")
            try await world.advance(id, to: .booked, cast: .ownTeam)
            let d = try await world.discussion(id)
            #expect(d.teleconference == Teleconference(durationMinutes: 30, dialIn: "0800 123 4567", accessCode: "4821"))

            let police = try await world.person(.police)
            let messages = try await OutboxMessage.query(on: world.app.db).filter(\.$toEmail == police.email).sort(\.$createdAt).all()
            #expect(messages.count == 2, "\(messages.map(\.subject))")
            let request = try #require(messages.first { $0.subject.hasPrefix("S47") })
            #expect(request.subject == "S47 Strategy Teleconference Request – Amira Khan, LCS-123456, 14 March 2019")
            #expect(!request.body.contains("Bruising") && !request.body.contains("0800 123 4567") && !request.body.contains("Nadia"))
            let codeMessage = try #require(messages.first { $0.subject.hasPrefix("Access code") })
            let code = try #require(Browser.firstMatch(#"is (\d{6})\."#, in: codeMessage.body))
            #expect(!request.body.contains(code))
            let path = try #require(Browser.firstMatch(#"(/extract/[A-Za-z0-9_-]+)"#, in: request.body))

            let reader = world.anonymous()
            let closed = try await reader.get(path)
            #expect(closed.status == .ok)
            #expect(!closed.plainText.contains("Bruising"))
            let wrong = try await reader.post(path, [("code", "000000" == code ? "111111" : "000000")])
            expectFieldError(wrong, "code")
            #expect(!wrong.plainText.contains("Bruising"))
            let opened = try await reader.post(path, [("code", code)])
            #expect(opened.status == .ok)
            let text = opened.plainText
            for expected in ["S47 Strategy Teleconference Request – Amira Khan", "0800 123 4567", "4821", "30 minutes",
                             "Bruising to the face noticed at school", "Nadia Khan", "LCS-123456"] {
                #expect(text.contains(expected), "the extract lacks \(expected)")
            }
            #expect(try await world.audit("extract-opened").count == 1)

            // Five wrong codes lock health's link, even against the right code afterwards.
            let health = try await world.person(.health)
            let healthMessages = try await OutboxMessage.query(on: world.app.db).filter(\.$toEmail == health.email).all()
            let healthPath = try #require(healthMessages.compactMap { Browser.firstMatch(#"(/extract/[A-Za-z0-9_-]+)"#, in: $0.body) }.first)
            let healthCode = try #require(healthMessages.compactMap { Browser.firstMatch(#"is (\d{6})\."#, in: $0.body) }.first)
            let guesser = world.anonymous()
            try await guesser.get(healthPath)
            for guess in ["000001", "000002", "000003", "000004", "000005"] where guess != healthCode {
                _ = try await guesser.post(healthPath, [("code", guess)])
            }
            let locked = try await guesser.post(healthPath, [("code", healthCode)])
            #expect(locked.status == .notFound)
            #expect(!locked.plainText.contains("Bruising"))
            #expect(try await world.audit("extract-refused").contains { $0.flagged })
        }
    }

    @Test("REQ-002-01: a procedure without a request message invites police as usual")
    func bradfordInvitesAsUsual() async throws {
        try await TestWorld.run(pack: "bradford") { world in
            _ = try await world.makeDiscussion(at: .booked)
            let police = try await world.person(.police)
            let messages = try await OutboxMessage.query(on: world.app.db).filter(\.$toEmail == police.email).all()
            #expect(messages.count == 1)
            #expect(!messages.contains { $0.subject.hasPrefix("S47") })
        }
    }
}
