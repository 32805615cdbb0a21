import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Invitees' links: the personal link (REQ-001-03) and the teleconference extract (REQ-002-01)")
struct LinkTests {
    @Test("REQ-001-03: a personal link opens in the first browser only; a second browser is refused and audited")
    func personalLink() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            try await world.book(id)
            _ = try await Operations.addInvitation(world.ctx(.minuteTaker), try await world.load(id, as: .minuteTaker, for: .manageInvitations),
                                                   .init(personID: nil, name: "Dr Ayo", email: "ayo@nhs.example", agency: "health"))
            try await Operations.sendInvitations(world.ctx(.minuteTaker), try await world.load(id, as: .minuteTaker, for: .manageInvitations))
            let message = try #require(try await OutboxMessage.query(on: world.db).filter(\.$toEmail == "ayo@nhs.example").first())
            let token = try #require(message.body.components(separatedBy: "/access/").last?.split(separator: "\n").first.map(String.init))
            #expect(try await Operations.personalLinkValid(world.ctx(nil), token: token))
            #expect(!(try await Operations.personalLinkValid(world.ctx(nil), token: "short")))
            let opened = try await Operations.redeemPersonalLink(world.ctx(nil), token: token, deviceHash: "browser-1") { _, _, _ in }
            #expect(opened == id)
            await expectNotAllowed {
                _ = try await Operations.redeemPersonalLink(world.ctx(nil), token: token, deviceHash: "browser-2") { _, _, _ in }
            }
            #expect(try await world.audit("access-link-refused").count == 1)
            #expect(try await Operations.redeemPersonalLink(world.ctx(nil), token: token, deviceHash: "browser-1") { _, _, _ in } == id)
            await expectNotFound {
                _ = try await Operations.redeemPersonalLink(world.ctx(nil), token: String(repeating: "x", count: 30), deviceHash: "b") { _, _, _ in }
            }
        }
    }

    @Test("REQ-002-01: the extract opens only with its access code; five wrong codes lock the link")
    func extract() async throws {
        try await LifecycleWorld.run(pack: "hertfordshire") { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let messages = try await OutboxMessage.query(on: world.db).filter(\.$discussionID == id).all()
            let link = try #require(messages.first { $0.body.contains("/extract/") })
            let token = try #require(link.body.components(separatedBy: "/extract/").last?.split(separator: "\n").first.map(String.init))
            let codeMessage = try #require(messages.first { $0.toEmail == link.toEmail && $0.subject.hasPrefix("Access code") })
            let code = try #require(codeMessage.body.split(separator: " ").first { $0.count == 7 && $0.hasSuffix(".") }.map { String($0.dropLast()) })
            guard case .wrongCode(_, true) = try await Operations.openExtract(world.ctx(nil), token: token, code: "000000") else {
                Issue.record("a wrong code was not refused")
                return
            }
            guard case let .opened(title, sections) = try await Operations.openExtract(world.ctx(nil), token: token, code: code) else {
                Issue.record("the right code did not open the extract")
                return
            }
            #expect(!title.isEmpty && !sections.isEmpty)
            for _ in 0..<4 { _ = try await Operations.openExtract(world.ctx(nil), token: token, code: "000000") }
            #expect(!(try await Operations.extractLinkUsable(world.ctx(nil), token: token)))
            guard case .unusable = try await Operations.openExtract(world.ctx(nil), token: token, code: code) else {
                Issue.record("a locked link opened")
                return
            }
            #expect(try await world.audit("extract-refused").last?.flagged == true)
        }
    }
}
