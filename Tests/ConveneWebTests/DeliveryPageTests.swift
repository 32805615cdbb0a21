import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import ConveneTestSupport
import Testing

/// The pages of issue 11: Your account → Notifications, the discussion's calendar file, and
/// Send again on the invitations page and the administrators' Outbox.
@Suite("Delivery pages (issue 11)")
struct DeliveryPageTests {
    @Test("Notifications: the choices show, a choice is saved and audited, a bad value is named by its field, a missing CSRF token is refused")
    func notifications() async throws {
        try await TestWorld.run { world in
            let manager = try await world.browser(.teamManager)
            let page = try await manager.get("/account/notifications")
            #expect(page.status == .ok, "\(page.summary)")
            #expect(page.text.contains("name=\"booking-reminder\"") && page.text.contains("daily-digest"))
            let saved = try await manager.post("/account/notifications", [("booking-reminder", "daily-digest"), ("action-reminder", "off")])
            #expect(saved.status == .seeOther, "\(saved.summary)")
            let stored = try await NotificationPreference.query(on: world.app.db).filter(\.$person.$id == world.people[.teamManager]!).all()
            #expect(Set(stored.map { "\($0.kind)=\($0.delivery)" }) == ["booking-reminder=daily-digest", "action-reminder=off"])
            #expect(try await world.audit("notification-preferences").count == 1)
            let shown = try await manager.get("/account/notifications")
            #expect(shown.text.contains("value=\"daily-digest\" checked") || shown.text.contains("value=\"daily-digest\"  checked")
                    || shown.text.range(of: #"value="daily-digest"[^>]*checked"#, options: .regularExpression) != nil)

            let bad = try await manager.post("/account/notifications", [("booking-reminder", "sometimes")])
            expectFieldError(bad, "booking-reminder", containing: "choose at once, a daily digest or off")
            #expect(try await NotificationPreference.query(on: world.app.db).filter(\.$person.$id == world.people[.teamManager]!).count() == 2)

            let forged = try await manager.post("/account/notifications", [("booking-reminder", "off")], csrf: false)
            #expect(forged.status == .forbidden, "\(forged.summary)")
            #expect(try await world.anonymous().get("/account/notifications").status != .ok)
        }
    }

    @Test(".ics: people who may see the discussion download it with the mailed UID and SEQUENCE; someone of another team cannot tell it exists; unbooked is 404")
    func calendarFile() async throws {
        try await TestWorld.run { world in
            let unbooked = try await world.makeDiscussion(at: .awaitingBooking)
            let social = try await world.browser(.socialWorker)
            #expect(try await social.get("/discussions/\(unbooked.slug)/calendar.ics").status == .notFound)

            let id = try await world.makeDiscussion(at: .booked)
            let file = try await social.get("/discussions/\(id.slug)/calendar.ics")
            #expect(file.status == .ok, "\(file.summary)")
            #expect(file.headers.contentType?.description.hasPrefix("text/calendar") == true)
            let text = file.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(text.contains("UID:\(id.uuidString.lowercased())@"))
            #expect(text.contains("SEQUENCE:0") && text.contains("METHOD:REQUEST"))
            let mailed = try await OutboxMessage.query(on: world.app.db).filter(\.$discussionID == id).filter(\.$calendarICS != nil).first()
            let mailedUID = mailed?.calendarICS?.replacingOccurrences(of: "\r\n ", with: "").split(separator: "\r\n").first { $0.hasPrefix("UID:") }
            #expect(mailedUID != nil && text.contains(String(mailedUID!)))
            #expect(!text.contains("Amira") && !text.contains("Khan"))
            #expect(try await world.audit("view").contains { $0.detail == "calendar file" })

            let outsider = try await world.browser(.otherTeamSocialWorker)
            #expect(try await outsider.get("/discussions/\(id.slug)/calendar.ics").status == .notFound)
            let foreign = try await world.browser(.foreignSocialWorker)
            #expect(try await foreign.get("/discussions/\(id.slug)/calendar.ics").status == .notFound)
        }
    }

    @Test("Send again: a failed invitation goes back to queued for whoever manages the invitations (with the CSRF token), not for others; an administrator resends from the Outbox")
    func sendAgain() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let db = world.app.db
            let row = try #require(try await OutboxMessage.query(on: db).filter(\.$discussionID == id)
                .filter(\.$kind == NoticeKind.invitation.rawValue).filter(\.$invitationID != nil).first())
            row.status = .failed
            row.attempts = 5
            row.lastError = "550 mailbox unavailable"
            try await row.save(on: db)
            let invitation = try #require(row.invitationID)
            let path = "/discussions/\(id.slug)/invitations/\(invitation.slug)/resend"

            let minutes = try await world.browser(.minuteTaker)
            let page = try await minutes.get("/discussions/\(id.slug)/invitations")
            #expect(page.text.contains(path) && page.text.contains("Failed"))
            let police = try await world.browser(.police)
            let refused = try await police.post(path, [])
            #expect(refused.status == .forbidden || refused.status == .notFound, "\(refused.summary)")
            let forged = try await minutes.post(path, [], csrf: false)
            #expect(forged.status == .forbidden, "\(forged.summary)")
            #expect(try await OutboxMessage.find(row.id, on: db)?.status == .failed)

            let done = try await minutes.post(path, [])
            #expect(done.status == .seeOther, "\(done.summary)")
            let queued = try #require(try await OutboxMessage.find(row.id, on: db))
            #expect(queued.status == .queued && queued.attempts == 0)
            #expect(try await world.audit("invite-resend").count == 1)
            // Nothing failed any more: a second press is a conflict, not a crash.
            #expect(try await minutes.post(path, []).status == .conflict)

            // The administrators' Outbox: failed first, Send again only for them.
            queued.status = .failed
            try await queued.save(on: db)
            let admin = try await world.browser(.administrator)
            let outbox = try await admin.get("/admin/outbox")
            #expect(outbox.status == .ok && outbox.text.contains("/admin/outbox/\(row.id!.slug)/resend"))
            let manager = try await world.browser(.teamManager)
            #expect(try await manager.post("/admin/outbox/\(row.id!.slug)/resend", []).status == .forbidden)
            #expect(try await admin.post("/admin/outbox/\(row.id!.slug)/resend", [], csrf: false).status == .forbidden)
            #expect(try await admin.post("/admin/outbox/not-an-id/resend", []).status == .notFound)
            let resent = try await admin.post("/admin/outbox/\(row.id!.slug)/resend", [])
            #expect(resent.status == .seeOther, "\(resent.summary)")
            #expect(try await OutboxMessage.find(row.id, on: db)?.status == .queued)
            #expect(try await world.audit("resend").count == 1)
        }
    }
}
