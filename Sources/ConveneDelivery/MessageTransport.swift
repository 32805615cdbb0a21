/// Something that sends an `OutgoingMessage`: SMTP, GOV.UK Notify, or the development log.
///
/// The delivery worker holds one of these and knows nothing of the protocol behind it.
/// Every failure is a `DeliveryError` saying whether a retry may help.
public protocol MessageTransport: Sendable {
    /// A short name for records and logs: `smtp`, `notify`, `log`.
    var name: String { get }

    /// Hands the message to the next hop. Returning means that hop accepted it; it does
    /// not mean it reached the inbox (a relay or Notify may still bounce it later).
    func send(_ message: OutgoingMessage) async throws(DeliveryError) -> DeliveryReceipt
}

/// What the next hop said when it accepted a message.
public struct DeliveryReceipt: Hashable, Sendable {
    /// The transport's `name`.
    public var transport: String
    /// The message's own Message-ID (without angle brackets).
    public var messageID: String
    /// The provider's identifier, when it gives one: Notify's notification id, or the
    /// SMTP server's final reply text (which usually names its queue id).
    public var providerReference: String?

    public init(transport: String, messageID: String, providerReference: String?) {
        self.transport = transport
        self.messageID = messageID
        self.providerReference = providerReference
    }
}
