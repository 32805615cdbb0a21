@testable import ConveneDelivery
import Testing

/// The message as SMTP DATA carries it (RFC 5321 §4.5.2), without a server: the
/// `SMTPTransportTests` check the same against aiosmtpd.
@Suite("SMTP DATA framing")
struct SMTPDataTests {
    @Test("Lines that start with a dot get a second one; the data ends with CRLF.CRLF")
    func dotStuffing() {
        let stuffed = SMTPTransport.dotStuffed(Array("Line one\r\n.\r\n..two\r\nend".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "Line one\r\n..\r\n...two\r\nend\r\n.\r\n")
    }

    @Test("Bare line feeds become CRLF, so no server sees a half line ending")
    func bareLineFeeds() {
        let bare = SMTPTransport.dotStuffed(Array(".a\nb\n".utf8))
        #expect(String(decoding: bare, as: UTF8.self) == "..a\r\nb\r\n.\r\n")
    }
}
