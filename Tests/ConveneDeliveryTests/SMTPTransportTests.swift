import ConveneCore
import ConveneDelivery
import ConveneTestSupport
import Foundation
import Testing

/// SMTP against a real server (aiosmtpd, started per test on a free port): what arrives is
/// read back with Python's `email` and `icalendar`, as a mail client would read it.
@Suite("SMTP transport against aiosmtpd", .enabled(if: Python.available, Python.missing))
struct SMTPTransportTests {
    static let certificate = Result { try TestCertificate.make() }

    func server(_ arguments: String...) async throws -> PythonPeer {
        try await PythonPeer.start("smtp_server.py", arguments)
    }

    func tlsServer(_ mode: String, _ extra: String...) async throws -> PythonPeer {
        let cert = try Self.certificate.get()
        return try await PythonPeer.start("smtp_server.py", ["--mode", mode, "--cert", cert.certificate, "--key", cert.key] + extra)
    }

    func transport(_ url: String) throws -> SMTPTransport {
        try SMTPTransport(SMTPConfiguration(url: url))
    }

    func envelope(_ file: URL) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        return object.mapValues { "\($0)" }
    }

    func failure(_ transport: SMTPTransport, _ message: OutgoingMessage) async -> DeliveryError? {
        do {
            _ = try await transport.send(message)
            return nil
        } catch {
            return error
        }
    }

    @Test("A relay without TLS receives the invitation: headers, MIME tree, text and calendar read back intact")
    func plainRelay() async throws {
        // setup
        let peer = try await server()
        let smtp = try transport("smtp://127.0.0.1:\(peer.port)?starttls=off&helo=convene.test")
        let message = try Samples.message(calendar: Samples.invitation())
        // MUT
        let receipt = try await smtp.send(message)
        // validate
        #expect(receipt.transport == "smtp")
        #expect(receipt.providerReference?.contains("queued as CONVENE1") == true)
        let files = peer.received("eml")
        try #require(files.count == 1)
        let mail = try MailSummary.read(files[0])
        #expect(mail.message_id == "<\(message.messageID)>")
        #expect(mail.subject == message.subject)
        #expect(mail.to_name == "PC Siân O’Brien")
        #expect(mail.to_address == "sian.obrien@police.example.uk")
        #expect(mail.from_name == "Northtown Children’s Services")
        #expect(mail.reference == "SD-2026-0042")
        #expect(mail.date == "2026-03-27T16:05:00+00:00")
        #expect(mail.types == ["multipart/mixed", "multipart/alternative", "text/plain", "text/calendar", "application/ics"])
        #expect(mail.tree[3].method == "REQUEST")
        #expect(mail.tree[4].filename == "invite.ics")
        #expect(mail.attachment_matches_inline)
        // The line break before a boundary belongs to the boundary (RFC 2046 §5.1.1).
        #expect(mail.text == message.text)
        #expect(mail.defects.isEmpty)
        #expect(mail.all_ascii && !mail.bare_lf && mail.max_line_length <= 78)
        let calendar = try #require(mail.calendar)
        #expect(calendar.uid == Samples.discussionID)
        #expect(calendar.attendees.count == 3)
        let envelope = try envelope(peer.received("json")[0])
        #expect(envelope["mail_from"] == "convene@northtown.gov.uk")
        #expect(envelope["rcpt_tos"]?.contains("sian.obrien@police.example.uk") == true)
    }

    @Test("Lines starting with a dot survive: the transport stuffs them and the server unstuffs them")
    func dotStuffing() async throws {
        let peer = try await server()
        let text = "Agreed actions:\n.\n.. two dots\n.hidden?\nend"
        _ = try await transport("smtp://127.0.0.1:\(peer.port)?starttls=off").send(try Samples.message(text: text))
        let mail = try MailSummary.read(try #require(peer.received("eml").first))
        // A single-part body ends with the message's last CRLF.
        #expect(mail.text == text + "\n")
    }

    @Test("Invitation, rearrangement, cancellation: one UID, SEQUENCE 0 → 1 → 2, London times, as icalendar reads them")
    func invitationSequence() async throws {
        // setup: over STARTTLS with AUTH, as a council's relay would be
        let peer = try await tlsServer("starttls", "--auth", "convene:s3cret")
        let cert = try Self.certificate.get()
        let smtp = try transport("smtp://convene:s3cret@127.0.0.1:\(peer.port)?starttls=required&ca=\(cert.certificate)")
        let first = try Samples.invitation(.request, sequence: 0)
        let moved = try Samples.invitation(.request, sequence: 1, start: "2026-03-31T13:00:00Z", end: "2026-03-31T14:30:00Z")
        let cancelled = try Samples.invitation(.cancel, sequence: 2, start: "2026-03-31T13:00:00Z", end: "2026-03-31T14:30:00Z")
        // MUT
        for (i, (invitation, kind)) in [(first, MessageKind.invitation), (moved, .rearrangement), (cancelled, .cancellation)].enumerated() {
            _ = try await smtp.send(try Samples.message(kind: kind, calendar: invitation, id: "0b7e1c9a-1111-4222-8333-00000000000\(i)"))
        }
        // validate
        let mails = try peer.received("eml").map(MailSummary.read)
        try #require(mails.count == 3)
        let calendars = try mails.map { try #require($0.calendar) }
        #expect(calendars.map(\.uid) == Array(repeating: Samples.discussionID, count: 3))
        #expect(calendars.map(\.sequence) == [0, 1, 2])
        #expect(calendars.map(\.method) == ["REQUEST", "REQUEST", "CANCEL"])
        #expect(calendars.map(\.status) == ["CONFIRMED", "CONFIRMED", "CANCELLED"])
        #expect(mails.map { $0.tree[3].method } == ["REQUEST", "REQUEST", "CANCEL"])
        #expect(calendars.allSatisfy { $0.dtstart.tzid == "Europe/London" && $0.attendees.count == 3 })
        // 10:00 BST on the first Monday of summer time, then 14:00 BST the next day.
        #expect(calendars[0].dtstart.local == "2026-03-30T10:00:00")
        #expect(calendars[0].dtstart.utc == "2026-03-30T09:00:00+00:00")
        #expect(calendars[1].dtstart.local == "2026-03-31T14:00:00")
        #expect(calendars[1].dtend.utc == "2026-03-31T14:30:00+00:00")
        // Convene's VTIMEZONE block gives the same instants as the tz database.
        #expect(calendars.allSatisfy { $0.dtstart.utc == $0.dtstart.utc_by_vtimezone && $0.dtend.utc == $0.dtend.utc_by_vtimezone })
        #expect(calendars[0].attendees[0]["ROLE"] == "REQ-PARTICIPANT")
        #expect(calendars[0].attendees[0]["PARTSTAT"] == "NEEDS-ACTION")
        #expect(calendars[0].attendees[0]["RSVP"] == "TRUE")
        #expect(calendars[0].attendees[0]["CN"] == "PC Siân O’Brien")
        #expect(calendars[0].organizer == "mailto:adam.fletcher@northtown.gov.uk")
        let envelopes = try peer.received("json").map(envelope)
        #expect(envelopes.allSatisfy { $0["tls"] == "1" && $0["auth_mechanism"] == "PLAIN" })
    }

    @Test("STARTTLS with a self-signed certificate and AUTH LOGIN")
    func authLogin() async throws {
        let peer = try await tlsServer("starttls", "--auth", "convene:p@ss/word")
        let cert = try Self.certificate.get()
        _ = try await transport("smtp://convene:p%40ss%2Fword@127.0.0.1:\(peer.port)?auth=login&ca=\(cert.certificate)")
            .send(try Samples.message())
        let envelope = try envelope(try #require(peer.received("json").first))
        #expect(envelope["auth_mechanism"] == "LOGIN")
        #expect(envelope["tls"] == "1")
    }

    @Test("Implicit TLS (smtps, as on port 465) with AUTH")
    func implicitTLS() async throws {
        let peer = try await tlsServer("implicit", "--auth", "convene:s3cret")
        let cert = try Self.certificate.get()
        let receipt = try await transport("smtps://convene:s3cret@127.0.0.1:\(peer.port)?ca=\(cert.certificate)")
            .send(try Samples.message())
        #expect(receipt.providerReference?.hasPrefix("250") == true)
        #expect(try envelope(try #require(peer.received("json").first))["tls"] == "1")
    }

    @Test("A wrong password is a permanent authentication failure")
    func wrongPassword() async throws {
        let peer = try await tlsServer("starttls", "--auth", "convene:s3cret")
        let cert = try Self.certificate.get()
        let error = await failure(try transport("smtp://convene:guess@127.0.0.1:\(peer.port)?ca=\(cert.certificate)"),
                                  try Samples.message())
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .authentication)
        #expect(peer.received("eml").isEmpty)
    }

    @Test("A certificate the system does not trust is refused (permanent); insecure=true accepts it")
    func untrustedCertificate() async throws {
        let peer = try await tlsServer("starttls")
        let error = await failure(try transport("smtp://127.0.0.1:\(peer.port)"), try Samples.message())
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .tls)
        _ = try await transport("smtp://127.0.0.1:\(peer.port)?insecure=true").send(try Samples.message())
        #expect(peer.received("eml").count == 1)
    }

    @Test("STARTTLS required but not offered: permanent, nothing sent in clear")
    func startTLSNotOffered() async throws {
        let peer = try await server()
        let error = await failure(try transport("smtp://127.0.0.1:\(peer.port)"), try Samples.message())
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .configuration)
        #expect(peer.received("eml").isEmpty)
    }

    @Test("A password is never sent over an unencrypted connection")
    func noPasswordInClear() async throws {
        let peer = try await server()
        let error = await failure(try transport("smtp://convene:s3cret@127.0.0.1:\(peer.port)?starttls=off"), try Samples.message())
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .configuration)
    }

    @Test("A recipient refused with 550 is a permanent failure naming the address")
    func refusedRecipient() async throws {
        let peer = try await server("--refuse", "gone@police.example.uk")
        let error = await failure(try transport("smtp://127.0.0.1:\(peer.port)?starttls=off"),
                                  try Samples.message(to: "gone@police.example.uk"))
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .recipientRefused(code: 550))
        #expect(error?.message.contains("gone@police.example.uk") == true)
    }

    @Test("A recipient deferred with 451 is temporary")
    func deferredRecipient() async throws {
        let peer = try await server("--defer", "busy@police.example.uk")
        let error = await failure(try transport("smtp://127.0.0.1:\(peer.port)?starttls=off"),
                                  try Samples.message(to: "busy@police.example.uk"))
        #expect(error?.disposition == .temporary)
        #expect(error?.cause == .recipientRefused(code: 451))
    }

    @Test("A connection dropped after DATA is temporary")
    func droppedAfterData() async throws {
        let peer = try await server("--drop-after-data")
        let error = await failure(try transport("smtp://127.0.0.1:\(peer.port)?starttls=off"), try Samples.message())
        #expect(error?.disposition == .temporary)
        #expect(error?.cause == .connectionLost)
    }

    @Test("A server that is down is temporary")
    func serverDown() async throws {
        let port: Int
        do {
            let peer = try await server()
            port = peer.port
        }
        let error = await failure(try transport("smtp://127.0.0.1:\(port)?starttls=off"), try Samples.message())
        #expect(error?.disposition == .temporary)
        #expect(error?.cause == .unreachable)
    }

    @Test("A server that never greets times out, temporarily")
    func silentServer() async throws {
        let peer = try await server("--mode", "silent")
        let started = Date()
        let error = await failure(try transport("smtp://127.0.0.1:\(peer.port)?starttls=off&timeout=1"), try Samples.message())
        #expect(error?.disposition == .temporary)
        #expect(error?.cause == .timeout)
        // Ended by the timeout, not by waiting for ever (generous: CI machines are busy).
        #expect(Date().timeIntervalSince(started) < 120)
    }
}
