import ConveneCore
import Foundation

/// Writes an `OutgoingMessage` as an Internet message (RFC 5322, MIME RFC 2045–2049):
/// CRLF line endings, 7-bit clean, ready for SMTP DATA (the SMTP layer dot-stuffs it).
///
/// Without a calendar part the message is a single `text/plain` part. With one it has the
/// shape Outlook, Gmail and Apple Mail all turn into an invitation with accept buttons:
///
///     multipart/mixed
///       multipart/alternative
///         text/plain; charset=utf-8                 (what clients without calendars show)
///         text/calendar; charset=utf-8; method=…    (what calendar clients act on)
///       application/ics; name="invite.ics"         (the same event, for saving by hand)
public enum MIMEMessage {
    public static func render(_ message: OutgoingMessage) -> String {
        var headers = [
            MIMEEncoding.header("Date", [MIMEEncoding.date(message.date)]),
            MIMEEncoding.header("From", MIMEEncoding.mailboxTokens(message.from)),
            MIMEEncoding.header("To", MIMEEncoding.mailboxTokens(message.to)),
        ]
        if let replyTo = message.replyTo {
            headers.append(MIMEEncoding.header("Reply-To", MIMEEncoding.mailboxTokens(replyTo)))
        }
        headers += [
            MIMEEncoding.header("Message-ID", ["<\(message.messageID)>"]),
            MIMEEncoding.header("Subject", MIMEEncoding.unstructuredTokens(message.subject)),
            "MIME-Version: 1.0",
            // RFC 3834: tells out-of-office responders not to answer a machine's message.
            "Auto-Submitted: auto-generated",
        ]
        if let reference = message.reference, !reference.isBlank {
            headers.append(MIMEEncoding.header("X-Convene-Reference", MIMEEncoding.unstructuredTokens(reference)))
        }
        for header in message.headers {
            headers.append(MIMEEncoding.header(header.name, MIMEEncoding.unstructuredTokens(header.value)))
        }

        let text = textPart(message.text)
        guard let calendar = message.calendar else {
            return (headers + text.headers).joined(separator: "\r\n") + "\r\n\r\n" + text.body + "\r\n"
        }
        let mixed = boundary("mixed", message.messageID)
        let alternative = boundary("alt", message.messageID)
        let calendarBytes = Array(normalisedLines(calendar.ics).utf8)
        let inline = calendarPart(calendarBytes, method: calendar.method)
        let attachment = [
            "Content-Type: application/ics; name=\"invite.ics\"",
            "Content-Disposition: attachment; filename=\"invite.ics\"",
            "Content-Transfer-Encoding: base64",
        ]
        headers.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
        var out = headers.joined(separator: "\r\n") + "\r\n\r\n"
        out += "This is a message in MIME format.\r\n"
        out += "--\(mixed)\r\nContent-Type: multipart/alternative; boundary=\"\(alternative)\"\r\n\r\n"
        out += "--\(alternative)\r\n" + text.headers.joined(separator: "\r\n") + "\r\n\r\n" + text.body + "\r\n"
        out += "--\(alternative)\r\n" + inline.headers.joined(separator: "\r\n") + "\r\n\r\n" + inline.body + "\r\n"
        out += "--\(alternative)--\r\n"
        out += "--\(mixed)\r\n" + attachment.joined(separator: "\r\n") + "\r\n\r\n"
            + MIMEEncoding.base64(calendarBytes) + "\r\n"
        out += "--\(mixed)--\r\n"
        return out
    }

    /// The message as the bytes SMTP DATA carries (all ASCII, by construction).
    public static func bytes(_ message: OutgoingMessage) -> [UInt8] {
        Array(render(message).utf8)
    }

    private static func textPart(_ text: String) -> (headers: [String], body: String) {
        (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
         MIMEEncoding.quotedPrintable(text))
    }

    /// Calendar text is already folded to 75 octets, so plain ASCII goes as it is (some
    /// older Outlook versions handle that best); anything else is base64, and so is text
    /// that happens to contain our boundary prefix.
    private static func calendarPart(_ bytes: [UInt8], method: CalendarInvitation.Method)
        -> (headers: [String], body: String) {
        let type = "Content-Type: text/calendar; charset=utf-8; method=\(method.rawValue)"
        if bytes.allSatisfy({ $0 < 0x80 }), !String(decoding: bytes, as: UTF8.self).contains("=_convene_") {
            var body = String(decoding: bytes, as: UTF8.self)
            if body.hasSuffix("\r\n") { body.removeLast() }
            return ([type, "Content-Transfer-Encoding: 7bit"], body)
        }
        return ([type, "Content-Transfer-Encoding: base64"], MIMEEncoding.base64(bytes))
    }

    /// The iCalendar text with CRLF line endings throughout, ending in CRLF.
    private static func normalisedLines(_ text: String) -> String {
        var lines = MIMEEncoding.lines(of: text)
        if lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A boundary that cannot occur in the parts: `=_` never appears in quoted-printable
    /// or base64 output, and the calendar text is checked. Derived from the Message-ID so
    /// the same message always renders to the same bytes.
    static func boundary(_ label: String, _ messageID: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in messageID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "=_convene_\(label)_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
