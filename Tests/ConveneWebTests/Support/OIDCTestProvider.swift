import AsyncHTTPClient
import ConveneCore
import ConveneStore
@testable import ConveneWeb
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A real OpenID Connect provider for one test: `Support/oidc/provider.py` (Authlib on Flask),
/// started on 127.0.0.1 on a free port with the given users and Convene's redirect URI as its
/// one client, and stopped (its stdin closed) when the test lets go of it. Its packages are
/// installed with pip on first use when missing, as `.ci/run` does; a machine with neither
/// python3 nor the packages skips these tests, saying why.
final class OIDCTestProvider: @unchecked Sendable {
    struct User {
        let username: String
        let email: String
        var verified = true
        var name = "Pat Directory"
        let password = "directory-password-1"

        var spec: String { [username, password, email, verified ? "true" : "false", name].joined(separator: "|") }
        var sub: String { "sub-" + username }
    }

    static let clientID = "convene-test"
    static let clientSecret = "test-client-secret-\(UUID().uuidString)"

    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// python3 with Authlib and Flask, installed with pip when missing.
    static let available: Bool = {
        guard let python else { return false }
        func has() -> Bool { run(python, ["-c", "import authlib, flask, joserfc"]) }
        if has() { return true }
        _ = run(python, ["-m", "pip", "install", "--quiet", "authlib", "flask"])
        return has()
    }()

    static let missing: Comment = "python3 with authlib and flask is needed for the directory sign-in tests (.ci/run installs them)"

    let issuer: String
    let port: Int
    private let process: Process
    private let input: Pipe
    private let directory: URL
    let http: HTTPClient

    init(users: [User], redirectURI: String = "http://127.0.0.1:8080/sign-in/oidc/callback") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-oidc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ready = directory.appendingPathComponent("ready")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("oidc/provider.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python ?? "/usr/bin/python3")
        process.arguments = [script, "--ready-file", ready.path, "--client-id", Self.clientID, "--client-secret", Self.clientSecret,
                             "--redirect-uri", redirectURI, "--test-controls", "--stop-on-stdin-eof"]
            + users.flatMap { ["--user", $0.spec] }
        input = Pipe()
        process.standardInput = input
        let log = directory.appendingPathComponent("provider.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: ready.path) {
            guard process.isRunning, Date() < deadline else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                try? input.fileHandleForWriting.close()
                throw ProviderError("the OpenID Connect provider did not start: \(text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        port = Int(try String(contentsOf: ready, encoding: .utf8)) ?? 0
        issuer = "http://127.0.0.1:\(port)"
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                          configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(20))))
    }

    /// Stops the provider; call at the end of the test.
    func stop() async {
        try? await http.shutdown()
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` with a provider, stopping it afterwards whatever happens.
    static func with(_ users: [User], _ body: (OIDCTestProvider) async throws -> Void) async throws {
        let provider = try await OIDCTestProvider(users: users)
        do {
            try await body(provider)
        } catch {
            await provider.stop()
            throw error
        }
        await provider.stop()
    }

    /// What a person does at the directory: opens the authorisation request Convene sent them
    /// to, then signs in on its form. Returns Convene's callback path with its query.
    func signIn(at authorizationURL: String, as user: User) async throws -> String {
        let page = try await http.execute(HTTPClientRequest(url: authorizationURL), timeout: .seconds(20))
        let text = String(buffer: try await page.body.collect(upTo: 1 << 20))
        guard page.status == .ok, text.contains("id=\"username\"") else {
            throw ProviderError("the directory refused the authorisation request: \(page.status) \(text.prefix(300))")
        }
        let query = URLComponents(string: authorizationURL)?.percentEncodedQueryItems ?? []
        var request = HTTPClientRequest(url: issuer + "/authorize")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let fields = query.map { ($0.name, $0.value?.removingPercentEncoding ?? "") } + [("username", user.username), ("password", user.password)]
        request.body = .bytes(ByteBuffer(string: fields.map { OIDCHTTP.formEncode($0.0) + "=" + OIDCHTTP.formEncode($0.1) }
            .joined(separator: "&")))
        let answer = try await http.execute(request, timeout: .seconds(20))
        guard answer.status == .found, let location = answer.headers.first(name: "Location"),
              let url = URLComponents(string: location) else {
            let body = String(buffer: try await answer.body.collect(upTo: 1 << 20))
            throw ProviderError("the directory did not send the person back: \(answer.status) \(body.prefix(300))")
        }
        return url.path + "?" + (url.percentEncodedQuery ?? "")
    }

    /// Makes the next ID token expired (`expired`) or signed with a key the JWKS does not hold
    /// (`foreign-key`).
    func nextIDToken(_ mode: String) async throws {
        try await control("/test/next-id-token", ["mode": mode])
    }

    /// A new signing key with a new kid, published beside the old one.
    func rotateKey() async throws {
        try await control("/test/rotate-key", [:])
    }

    /// How often Convene has fetched the keys (JWKS).
    func jwksRequests() async throws -> Int {
        let answer = try await http.execute(HTTPClientRequest(url: issuer + "/test/stats"), timeout: .seconds(10))
        let body = try await answer.body.collect(upTo: 1 << 16)
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return object?["jwks_requests"] as? Int ?? -1
    }

    func change(_ user: User, email: String? = nil, verified: Bool? = nil) async throws {
        var body: [String: Any] = [:]
        if let email { body["email"] = email }
        if let verified { body["email_verified"] = verified }
        try await control("/test/users/\(user.username)", body)
    }

    private func control(_ path: String, _ body: [String: Any]) async throws {
        var request = HTTPClientRequest(url: issuer + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let answer = try await http.execute(request, timeout: .seconds(10))
        guard answer.status == .ok else { throw ProviderError("\(path) answered \(answer.status)") }
    }

    private static func run(_ program: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

struct ProviderError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
