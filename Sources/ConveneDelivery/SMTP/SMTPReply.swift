import NIOCore

/// A server's reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
struct SMTPReply: Hashable, Sendable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " ") }
    var isPositive: Bool { (200..<400).contains(code) }
    var isTransient: Bool { (400..<500).contains(code) }

    /// `250 2.0.0 Ok: queued as 1234` — the code and text, for error messages and receipts.
    var summary: String { "\(code) \(text)".trimmingCharacters(in: .whitespaces) }
}

/// Splits the byte stream into replies. A multi-line reply repeats its code on every line
/// with `-` after it (`250-SIZE …`), and ends with a line that has a space or nothing
/// (`250 HELP`). Lines end in CRLF; a bare LF is accepted, as most clients do.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// RFC 5321 §4.5.3.1.5 limits a reply line to 512 octets; allow more for lenient
    /// servers, but not unbounded memory for a broken one.
    static let maxLineLength = 4096
    private var pending: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw SMTPProtocolError.lineTooLong }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
              bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
            throw SMTPProtocolError.malformedReply(String(line.prefix(200)))
        }
        if let pendingCode, pendingCode != code {
            throw SMTPProtocolError.malformedReply(String(line.prefix(200)))
        }
        let text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
        pending.append(text)
        if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") {
            pendingCode = code
            if pending.count > 100 { throw SMTPProtocolError.malformedReply("a reply of more than 100 lines") }
        } else {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
            pending = []
            pendingCode = nil
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// The server said something that is not SMTP.
enum SMTPProtocolError: Error, Hashable {
    case lineTooLong
    case malformedReply(String)
}
