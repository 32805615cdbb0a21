import ConveneCore
import ConveneDelivery
import ConveneTestSupport
import Foundation
import Testing

/// GOV.UK Notify against a local stand-in that checks the JWT and the body as Notify does.
@Suite("GOV.UK Notify transport", .enabled(if: Python.available, Python.missing))
struct NotifyTransportTests {
    static let serviceID = "26785a09-ab16-4eb0-8407-a37497a57506"
    static let secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
    static let apiKey = "convene-live-\(serviceID)-\(secret)"
    static let invitationTemplate = "0b1f5f0e-7c44-4d2b-9a3e-1f6c0a7d1e01"
    static let minutesTemplate = "5c3e2a9b-0d4e-4f6a-8b7c-2e1d0f9a3b02"

    func server() async throws -> PythonPeer {
        try await PythonPeer.start("notify_server.py", ["--secret", Self.secret, "--service-id", Self.serviceID,
                                                    "--template", Self.invitationTemplate, "--template", Self.minutesTemplate])
    }

    func notify(_ peer: PythonPeer, now: @escaping @Sendable () -> Date = { Date() }) async throws -> NotifyTransport {
        let templates = try NotifyConfiguration.templates(parsing: "invitation=\(Self.invitationTemplate), minutes=\(Self.minutesTemplate)")
        return await NotifyTransport(NotifyConfiguration(apiKey: try NotifyAPIKey(Self.apiKey), templates: templates,
                                                         baseURL: "http://127.0.0.1:\(peer.port)/"), now: now)
    }

    func failure(_ transport: NotifyTransport, _ message: OutgoingMessage) async -> DeliveryError? {
        do {
            _ = try await transport.send(message)
            return nil
        } catch {
            return error
        }
    }

    struct Recorded: Decodable {
        struct Request: Decodable {
            var email_address: String
            var template_id: String
            var personalisation: [String: String]
            var reference: String
        }

        struct Claims: Decodable {
            var iss: String
            var iat: Int
        }

        var request: Request
        var claims: Claims
        var id: String
    }

    @Test("The API key splits into name, service id and secret, reading the UUIDs from the end")
    func apiKey() throws {
        let key = try NotifyAPIKey(Self.apiKey)
        #expect(key.keyName == "convene-live")
        #expect(key.serviceID == Self.serviceID)
        #expect(key.secret == Self.secret)
        #expect(!key.description.contains(Self.secret))
        #expect(throws: InputError.self) { try NotifyAPIKey("convene-live-\(Self.serviceID)") }
        #expect(throws: InputError.self) { try NotifyAPIKey("convene-live-not-a-uuid-at-all-\(Self.secret)xxxxxxxxxxxxxxxxxxxxxxxxxxxxx") }
    }

    @Test("Templates are kind=id pairs; a template id must be a UUID")
    func templates() throws {
        let templates = try NotifyConfiguration.templates(parsing: "invitation=\(Self.invitationTemplate),cancellation=\(Self.minutesTemplate)")
        #expect(templates == [.invitation: Self.invitationTemplate, .cancellation: Self.minutesTemplate])
        #expect(throws: InputError.self) { try NotifyConfiguration.templates(parsing: "invitation") }
        #expect(throws: InputError.self) { try NotifyConfiguration.templates(parsing: "invitation=template-one") }
    }

    @Test("Accepted (201): the kind's template, subject, body and reference as personalisation, a signed token")
    func success() async throws {
        // setup
        let peer = try await server()
        let message = try Samples.message(kind: .minutes)
        // MUT
        let before = Date().timeIntervalSince1970.rounded(.down)
        let receipt = try await notify(peer).send(message)
        let after = Date().timeIntervalSince1970.rounded(.up)
        // validate
        let recorded = try JSONDecoder().decode(Recorded.self, from: Data(contentsOf: try #require(peer.received("json").first)))
        #expect(receipt.transport == "notify")
        #expect(receipt.providerReference == recorded.id)
        #expect(recorded.request.template_id == Self.minutesTemplate)
        #expect(recorded.request.email_address == "sian.obrien@police.example.uk")
        #expect(recorded.request.reference == message.messageID)
        #expect(recorded.request.personalisation == ["subject": message.subject, "body": message.text, "reference": "SD-2026-0042"])
        #expect(recorded.claims.iss == Self.serviceID)
        // Issued during the send (whatever the machine's load), in whole seconds.
        #expect((before...after).contains(Double(recorded.claims.iat)), "iat \(recorded.claims.iat) not in \(before)...\(after)")
    }

    @Test("400 (e.g. a team key and an outside address) is permanent, with Notify's message")
    func badRequest() async throws {
        let peer = try await server()
        let error = await failure(try await notify(peer), try Samples.message(to: "bad-request@police.example.uk"))
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .rejected(code: 400))
        #expect(error?.message.contains("team-only API key") == true)
    }

    @Test("429 (rate limit) and 500 are temporary")
    func temporaryErrors() async throws {
        let peer = try await server()
        let transport = try await notify(peer)
        let limited = await failure(transport, try Samples.message(to: "rate-limit@police.example.uk"))
        #expect(limited?.disposition == .temporary)
        #expect(limited?.cause == .rejected(code: 429))
        let broken = await failure(transport, try Samples.message(to: "server-error@police.example.uk"))
        #expect(broken?.disposition == .temporary)
        #expect(broken?.cause == .rejected(code: 500))
    }

    @Test("A clock two minutes out makes Notify refuse the token: permanent, and the message says to check the clock")
    func clockSkew() async throws {
        let peer = try await server()
        let error = await failure(try await notify(peer, now: { Date().addingTimeInterval(-120) }), try Samples.message())
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .authentication)
        #expect(error?.message.contains("clock") == true)
    }

    @Test("A token signed with another secret is refused")
    func wrongSecret() async throws {
        let peer = try await server()
        let other = "convene-live-\(Self.serviceID)-00000000-8d35-48ac-975b-e847b4f122b0"
        let transport = await NotifyTransport(NotifyConfiguration(
            apiKey: try NotifyAPIKey(other), templates: [.invitation: Self.invitationTemplate],
            baseURL: "http://127.0.0.1:\(peer.port)"))
        let error = await failure(transport, try Samples.message())
        #expect(error?.cause == .authentication)
        #expect(peer.received("json").isEmpty)
    }

    @Test("A kind without a template is a permanent configuration error, before any request")
    func missingTemplate() async throws {
        let peer = try await server()
        let error = await failure(try await notify(peer), try Samples.message(kind: .cancellation))
        #expect(error?.disposition == .permanent)
        #expect(error?.cause == .configuration)
        #expect(error?.message.contains("cancellation=") == true)
    }

    @Test("Notify out of reach is temporary")
    func unreachable() async throws {
        let port: Int
        do { port = try await server().port }
        let transport = await NotifyTransport(NotifyConfiguration(
            apiKey: try NotifyAPIKey(Self.apiKey), templates: [.invitation: Self.invitationTemplate],
            baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(5)))
        let error = await failure(transport, try Samples.message())
        #expect(error?.disposition == .temporary)
        #expect(error?.cause == .unreachable)
    }
}
