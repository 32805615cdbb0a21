import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Convene's own HTTP client for talking to directories: no redirects followed (a token request
/// carries the client secret), short time-outs, answers of at most 512 KB. Made on first use and
/// shut down with the application.
public final class OIDCHTTP: Sendable {
    static let maxBody = 512 * 1024
    static let timeout: TimeAmount = .seconds(10)
    private let client = Mutex<HTTPClient?>(nil)

    private var http: HTTPClient {
        client.withLock { current in
            if let current { return current }
            let made = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                  configuration: .init(redirectConfiguration: .disallow,
                                                       timeout: .init(connect: .seconds(5), read: Self.timeout)))
            current = made
            return made
        }
    }

    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
    }

    func get(_ url: URL) async throws(OIDCRefusal) -> Answer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        return try await send(request, to: url)
    }

    func postForm(_ url: URL, _ fields: [(String, String)], basic: (user: String, password: String)?) async throws(OIDCRefusal)
        -> Answer
    {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let basic {
            // RFC 6749 §2.3.1: each part form-encoded before Base64.
            let pair = Self.formEncode(basic.user) + ":" + Self.formEncode(basic.password)
            request.headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        }
        request.body = .bytes(ByteBuffer(string: fields.map { Self.formEncode($0.0) + "=" + Self.formEncode($0.1) }
            .joined(separator: "&")))
        return try await send(request, to: url)
    }

    private func send(_ request: HTTPClientRequest, to url: URL) async throws(OIDCRefusal) -> Answer {
        guard OIDCAddress.isAllowed(url) else { throw OIDCRefusal(.unreachable, "\(url.host ?? "the provider") is not an https address") }
        do {
            let response = try await http.execute(request, timeout: Self.timeout)
            let body = try await response.body.collect(upTo: Self.maxBody)
            return Answer(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
        } catch {
            // Never the request itself in the reason: it may hold the code or the secret.
            throw OIDCRefusal(.unreachable, "\(url.host ?? "the provider") did not answer (\(type(of: error)))")
        }
    }

    public func shutdown() async throws {
        let current = client.withLock { current in
            defer { current = nil }
            return current
        }
        try await current?.shutdown()
    }

    /// application/x-www-form-urlencoded: everything but ASCII letters, digits and `-._~` escaped.
    public static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
