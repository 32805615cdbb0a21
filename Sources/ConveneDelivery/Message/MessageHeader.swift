import ConveneCore

/// A header Convene adds beyond the standard ones, such as `X-Convene-Reference`.
public struct MessageHeader: Hashable, Sendable {
    public let name: String
    public let value: String

    /// Headers the renderer writes itself; a second copy would confuse mail clients.
    static let reserved: Set<String> = [
        "date", "from", "to", "cc", "bcc", "reply-to", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-disposition", "x-convene-reference",
        "auto-submitted", "sender", "return-path",
    ]

    /// The name must be printable ASCII without a colon (RFC 5322 §2.2); the value may not
    /// contain line breaks, which would start a header of the sender's choosing.
    public init(_ name: String, _ value: String) throws(InputError) {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != ":" }) else {
            throw InputError(field: "headers", "“\(name)” is not a header name: use letters, digits and hyphens")
        }
        guard !value.contains(where: \.isNewline) else {
            throw InputError(field: FieldPath("headers").appending(name), "must be one line")
        }
        self.name = name
        self.value = value
    }
}
