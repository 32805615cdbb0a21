import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1

/// Sends email through GOV.UK Notify's REST API (v2): `POST /v2/notifications/email`,
/// authenticated with a JWT (HS256, `iss` = the service id, `iat` = now) signed with the
/// key's secret. Notify allows 30 seconds of clock difference, so a token is made for
/// every request.
///
/// Notify sends from its own templates and cannot carry a calendar part: an invitation
/// through Notify has the time in its text but adds nothing to the invitee's calendar.
public struct NotifyTransport: MessageTransport {
    public let name = "notify"
    public let configuration: NotifyConfiguration
    private let client: HTTPClient
    private let keys: JWTKeyCollection
    private let now: @Sendable () -> Date

    /// `now` is the clock for the token's `iat`; tests can move it to see Notify refuse.
    public init(_ configuration: NotifyConfiguration, client: HTTPClient = .shared,
                now: @escaping @Sendable () -> Date = { Date() }) async {
        self.configuration = configuration
        self.client = client
        self.now = now
        self.keys = await JWTKeyCollection().add(hmac: HMACKey(from: configuration.apiKey.secret), digestAlgorithm: .sha256)
    }

    public func send(_ message: OutgoingMessage) async throws(DeliveryError) -> DeliveryReceipt {
        guard let templateID = configuration.templates[message.kind] else {
            throw .permanent(.configuration, "No Notify template is configured for \(message.kind) messages: add "
                + "\(message.kind)=<template id> to the Notify templates.")
        }
        let body: Data
        let token: String
        do {
            body = try JSONEncoder().encode(NotifyEmailRequest(message, templateID: templateID,
                                                               replyToID: configuration.emailReplyToID))
            token = try await keys.sign(NotifyClaims(iss: configuration.apiKey.serviceID,
                                                     iat: Int(now().timeIntervalSince1970)))
        } catch {
            throw .permanent(.configuration, "The Notify request could not be prepared: \(error)")
        }
        var request = HTTPClientRequest(url: configuration.baseURL + "/v2/notifications/email")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "convene-notify")
        request.body = .bytes(ByteBuffer(bytes: body))

        let status: HTTPResponseStatus
        let answer: Data
        do {
            let response = try await client.execute(request, timeout: TimeAmount(configuration.timeout))
            status = response.status
            answer = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw .temporary(.unreachable, "GOV.UK Notify could not be reached (\(error)); Convene will try again.")
        }
        guard status == .created else {
            throw Self.failure(status: Int(status.code), body: answer)
        }
        let created = try? JSONDecoder().decode(NotifyEmailResponse.self, from: answer)
        return DeliveryReceipt(transport: name, messageID: message.messageID, providerReference: created?.id)
    }

    /// Notify's documented errors: 400 (bad request: the address, template or fields) and
    /// 403 (the key or clock) will fail again; 429 (rate or daily limit) and 5xx may pass later.
    static func failure(status: Int, body: Data) -> DeliveryError {
        let errors = (try? JSONDecoder().decode(NotifyErrorResponse.self, from: body))?.errors ?? []
        let detail = errors.isEmpty ? String(decoding: body.prefix(300), as: UTF8.self)
            : errors.map { "\($0.error): \($0.message)" }.joined(separator: "; ")
        switch status {
        case 429, 500...599:
            return .temporary(.rejected(code: status), "GOV.UK Notify answered \(status) (\(detail)); Convene will try again.")
        case 403:
            return .permanent(.authentication, "GOV.UK Notify refused the API key (\(detail)): check the key, and that "
                + "this server's clock is right to within 30 seconds.")
        default:
            return .permanent(.rejected(code: status), "GOV.UK Notify refused the message (\(status): \(detail)).")
        }
    }
}

/// The JWT claims Notify reads: the service id and the time the token was made, in whole
/// seconds (Notify rejects a token more than 30 seconds from its clock).
struct NotifyClaims: JWTPayload {
    var iss: String
    var iat: Int

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
