import ConveneCore
@testable import ConveneWeb
import Foundation
import NIOHTTP1
import Testing
import VaporTesting

/// A caller of the JSON API: JSON in, parsed JSON out, with a bearer token (or none).
struct APIClient: Sendable {
    let world: TestWorld
    let token: String?

    struct Reply: Sendable {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let text: String

        /// The body as JSON (objects as `[String: Any]`); `nil` when it is not JSON.
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        subscript(_ key: String) -> Any? { object[key] }
        func string(_ key: String) -> String { object[key] as? String ?? "" }
        func int(_ key: String) -> Int { object[key] as? Int ?? -1 }

        /// The `field` of each error of a problem, in order.
        var fields: [String] { (object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
        var isProblem: Bool { headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true }
    }

    func get(_ path: String) async throws -> Reply {
        try await send(.GET, path)
    }

    func post(_ path: String, _ body: [String: Any]? = nil) async throws -> Reply {
        try await send(.POST, path, body: body.map(Self.encode))
    }

    func put(_ path: String, _ body: [String: Any]) async throws -> Reply {
        try await send(.PUT, path, body: Self.encode(body))
    }

    func delete(_ path: String) async throws -> Reply {
        try await send(.DELETE, path)
    }

    /// Sends `body` as it is: the tests of bad input write their own.
    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, headers extra: HTTPHeaders = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers.bearerAuthorization = .init(token: token) }
        if body != nil, headers.contentType == nil { headers.contentType = .json }
        let response = try await world.app.testing().sendRequest(method, "/api/v1" + path, headers: headers,
                                                                 body: body.map { .init(string: $0) })
        return Reply(status: response.status, headers: response.headers, text: response.body.string)
    }

    static func encode(_ body: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension TestWorld {
    /// `POST /api/v1/tokens` as a client without cookies would: the anonymous CSRF cookie
    /// from any GET, sent back with `X-CSRF-Token` (docs/api.md).
    func requestToken(email: String, password: String = TestWorld.password, code: String? = nil) async throws -> APIClient.Reply {
        let first = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
        let cookie = try #require(first.headers[.setCookie].first { $0.hasPrefix("convene-csrf=") })
        let pair = String(cookie.split(separator: ";")[0])
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: pair)
        headers.replaceOrAdd(name: "X-CSRF-Token", value: String(pair.dropFirst("convene-csrf=".count)))
        var body: [String: Any] = ["email": email, "password": password, "name": "tests"]
        if let code { body["code"] = code }
        return try await APIClient(world: self, token: nil).send(.POST, "/tokens", body: APIClient.encode(body), headers: headers)
    }

    /// An API client signed in as `who` with a fresh bearer token.
    func api(_ who: Who) async throws -> APIClient {
        let reply = try await requestToken(email: who.email)
        #expect(reply.status == .created, "token for \(who) refused: \(reply.text)")
        return APIClient(world: self, token: reply.string("token"))
    }

    func anonymousAPI() -> APIClient {
        APIClient(world: self, token: nil)
    }

    /// A complete request for one child (REQ-001-01), as JSON.
    func requestBody(urgency: String = "standard", childName: String = "Amira Khan") -> [String: Any] {
        [
            "team": teamID.slug, "caseType": "new-referral", "urgency": urgency,
            "concernReceivedAt": RFC3339.format(clock.now), "locality": "North", "allocatedSocialWorker": "Sam Okafor",
            "teamManager": "Tara Whitfield", "serviceManager": "Sara Lindqvist",
            "children": [["name": childName, "dateOfBirth": "2019-03-14"]],
            "parentsCarers": [["name": "Nadia Khan"]],
            "presentingIssue": "Bruising to the face noticed at school", "rationale": "Possible non-accidental injury",
            "concerns": ["injury"],
        ]
    }

    /// A discussion requested through the API; returns its id.
    func requestThroughAPI(_ client: APIClient) async throws -> UUID {
        let reply = try await client.post("/discussions", requestBody())
        #expect(reply.status == .created, "request refused: \(reply.text)")
        return try #require(UUID(uuidString: reply.string("id")))
    }
}
