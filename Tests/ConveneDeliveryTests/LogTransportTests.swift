import ConveneDelivery
import Testing

/// Development and `serve --demo`: nothing leaves the machine, everything is recorded.
@Suite("Log transport")
struct LogTransportTests {
    @Test("Records each message in order and never fails")
    func records() async throws {
        let log = LogTransport()
        let first = try Samples.message(id: "00000000-0000-4000-8000-000000000001")
        let second = try Samples.message(kind: .cancellation, calendar: Samples.invitation(.cancel, sequence: 1),
                                         id: "00000000-0000-4000-8000-000000000002")
        let receipt = try await log.send(first)
        _ = try await log.send(second)
        #expect(receipt == DeliveryReceipt(transport: "log", messageID: first.messageID, providerReference: nil))
        #expect(log.sent == [first, second])
    }

    @Test("Keeps only the most recent messages, so a long-running demo does not grow without end")
    func bounded() async throws {
        let log = LogTransport(limit: 2)
        for i in 1...3 {
            _ = try await log.send(try Samples.message(id: "00000000-0000-4000-8000-00000000000\(i)"))
        }
        #expect(log.sent.map(\.messageID) == ["00000000-0000-4000-8000-000000000002@convene.northtown.gov.uk",
                                              "00000000-0000-4000-8000-000000000003@convene.northtown.gov.uk"])
    }
}
