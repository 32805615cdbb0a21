import ConveneCore
@testable import ConveneDelivery
import ConveneTestSupport
import Foundation
import Testing

/// The bytes of a message: 7-bit clean, CRLF, lines within limits, non-ASCII names and
/// subjects encoded, and a calendar part in the shape mail clients turn into an invitation.
@Suite("MIME messages")
struct MIMEMessageTests {
    func render(_ message: OutgoingMessage) -> String {
        MIMEMessage.render(message)
    }

    func headerBlock(_ text: String) -> String {
        String(text.components(separatedBy: "\r\n\r\n")[0])
    }

    @Test("A message without a calendar is one quoted-printable text/plain part, all ASCII, CRLF only")
    func plainMessage() throws {
        let text = render(try Samples.message())
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let head = headerBlock(text)
        #expect(head.contains("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(head.hasPrefix("Date: Fri, 27 Mar 2026 16:05:00 +0000\r\n"))
        #expect(head.contains("\r\nMessage-ID: <0b7e1c9a-1111-4222-8333-444455556666@convene.northtown.gov.uk>\r\n"))
        #expect(head.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(head.contains("\r\nX-Convene-Reference: SD-2026-0042\r\n"))
        #expect(head.contains("\r\nX-Convene-Outbox-ID: 0b7e1c9a-1111-4222-8333-444455556666\r\n"))
        #expect(head.contains("\r\nAuto-Submitted: auto-generated\r\n"))
    }

    @Test("Non-ASCII display names and subjects become RFC 2047 encoded-words; ASCII ones stay readable")
    func encodedWords() throws {
        let head = headerBlock(render(try Samples.message(subject: "Réunion: SD-2026-0042")))
        #expect(head.contains("\r\nTo: =?utf-8?B?\(Data("PC Siân O’Brien".utf8).base64EncodedString())?= <sian.obrien@police.example.uk>"))
        #expect(head.contains("\r\nSubject: =?utf-8?B?\(Data("Réunion: SD-2026-0042".utf8).base64EncodedString())?="))
        #expect(head.contains("\r\nReply-To: Adam Fletcher <adam.fletcher@northtown.gov.uk>"))
    }

    @Test("A display name with a comma is quoted, so it is not read as two addresses")
    func quotedName() throws {
        let address = try MailAddress(name: "Nwosu, Amara \"GP\"", address: "amara@nhs.example.uk")
        #expect(MIMEEncoding.mailboxTokens(address) == ["\"Nwosu, Amara \\\"GP\\\"\"", "<amara@nhs.example.uk>"])
    }

    @Test("Long subjects fold at spaces within 78 characters; long encoded ones split into words of at most 75")
    func folding() throws {
        let ascii = String(repeating: "Strategy discussion SD-2026-0042 ", count: 5)
        let head = headerBlock(render(try Samples.message(subject: ascii)))
        for line in head.components(separatedBy: "\r\n") {
            #expect(line.count <= 78, "\(line.count): \(line)")
        }
        let words = MIMEEncoding.encodedWords(String(repeating: "Siân’s discussion ", count: 8))
        #expect(words.count > 2)
        #expect(words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { word -> String in
            let payload = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(payload)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == String(repeating: "Siân’s discussion ", count: 8))
    }

    @Test("Quoted-printable: non-ASCII as =XX, lines at most 76, a trailing space kept, '=' escaped")
    func quotedPrintable() {
        let encoded = MIMEEncoding.quotedPrintable("Siân’s café = 100%  \n" + String(repeating: "é", count: 60))
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines[0] == "Si=C3=A2n=E2=80=99s caf=C3=A9 =3D 100% =20")
        #expect(lines.allSatisfy { $0.count <= 76 })
        // Soft breaks never cut an escape: every "=" starts "=XX" or ends the line.
        for line in lines {
            let chars = Array(line)
            for (i, c) in chars.enumerated() where c == "=" {
                #expect(i == chars.count - 1 || (i + 2 < chars.count && chars[i + 1].isHexDigit && chars[i + 2].isHexDigit))
            }
        }
    }

    @Test("With a calendar: mixed(alternative(text/plain, text/calendar; method=REQUEST), invite.ics attachment)")
    func calendarStructure() throws {
        let message = try Samples.message(calendar: Samples.invitation())
        let text = render(message)
        let head = headerBlock(text)
        let mixed = MIMEMessage.boundary("mixed", message.messageID)
        let alternative = MIMEMessage.boundary("alt", message.messageID)
        #expect(head.hasSuffix("Content-Type: multipart/mixed; boundary=\"\(mixed)\""))
        #expect(text.contains("--\(mixed)\r\nContent-Type: multipart/alternative; boundary=\"\(alternative)\"\r\n"))
        #expect(text.contains("--\(alternative)\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n"))
        #expect(text.contains("Content-Disposition: attachment; filename=\"invite.ics\""))
        #expect(text.hasSuffix("--\(mixed)--\r\n"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.count <= 78, "\(line.count): \(line)")
        }
    }

    @Test("The same message renders to the same bytes (boundaries come from the Message-ID)")
    func stable() throws {
        let a = render(try Samples.message(calendar: Samples.invitation()))
        let b = render(try Samples.message(calendar: Samples.invitation()))
        #expect(a == b)
        #expect(MIMEMessage.boundary("mixed", "a@x") != MIMEMessage.boundary("mixed", "b@x"))
    }

    @Test("Header injection is refused: a line break in a custom header, a reserved name, a bad address")
    func injection() throws {
        #expect(throws: InputError.self) { try MessageHeader("X-Convene-Note", "a\r\nBcc: someone@example.org") }
        #expect(throws: InputError.self) { try MessageHeader("Bad Name", "x") }
        #expect(throws: InputError.self) { try MailAddress(address: "jo@example.org>\r\nRCPT TO:<x@y.z") }
        #expect(throws: InputError.self) { try MailAddress(address: "jo lane@example.org") }
        #expect(throws: InputError.self) { try MailAddress(address: "jo@localhost") }
        #expect(throws: InputError.self) { try MailAddress(address: "siân@example.org") }
        #expect(throws: InputError.self) {
            try OutgoingMessage(messageID: "x@convene", kind: .invitation, date: at("2026-03-27T16:05:00Z"),
                                from: MailAddress(address: "a@b.example"), to: MailAddress(address: "c@d.example"),
                                subject: "s", text: "t", headers: [MessageHeader("Bcc", "e@f.example")])
        }
        // A line break in a subject or display name becomes a space, never a new header.
        let head = headerBlock(render(try Samples.message(subject: "SD-2026-0042\r\nBcc: someone@example.org")))
        #expect(!head.contains("\r\nBcc:"))
        #expect(try MailAddress(name: "Jo\r\nBcc: x", address: "jo@example.org").name == "Jo Bcc: x")
    }
}
