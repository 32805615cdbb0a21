import Foundation
import JWTKit
import NIOHTTP1
import Synchronization

/// What Convene knows of each directory, by issuer: its discovery document and its signing keys
/// (JWKS), each kept for the lifetime its answer gave (`Cache-Control: max-age`, within 5
/// minutes and a day; an hour when it gives none). A token signed with a key Convene has not seen
/// makes it fetch the keys again (the provider rotated them), straight away the first time and
/// then at most once a minute per issuer, so made-up key ids cannot make Convene hammer the
/// provider.
public final class OIDCDirectory: Sendable {
    static let defaultLifetime: TimeInterval = 3600
    static let lifetimes: ClosedRange<TimeInterval> = 300...86_400
    static let refetchInterval: TimeInterval = 60

    public struct SigningKeys: Sendable {
        let collection: JWTKeyCollection
        let kids: Set<String>
        let fetchedAt: Date
        let until: Date
    }

    private struct Entry {
        var metadata: OIDCMetadata?
        var metadataUntil = Date.distantPast
        var keys: SigningKeys?
        /// When the keys were last fetched because a token named a key id they did not hold.
        var unknownKidFetchedAt = Date.distantPast
    }

    public let http = OIDCHTTP()

    public init() {}
    private let entries = Mutex<[String: Entry]>([:])

    /// Forgets an issuer (its configuration changed).
    public func forget(_ issuer: String) {
        _ = entries.withLock { $0.removeValue(forKey: issuer) }
    }

    public func metadata(issuer: String, now: Date) async throws(OIDCRefusal) -> OIDCMetadata {
        if let cached = entries.withLock({ $0[issuer] }), let metadata = cached.metadata, cached.metadataUntil > now {
            return metadata
        }
        guard let base = OIDCAddress.issuer(issuer), let url = URL(string: base.absoluteString + "/.well-known/openid-configuration")
        else { throw OIDCRefusal(.unreachable, "the issuer \(issuer) is not an https address") }
        let answer = try await http.get(url)
        guard answer.status == 200 else {
            throw OIDCRefusal(.unreachable, "the discovery document answered HTTP \(answer.status)")
        }
        let decoded: OIDCMetadata
        do {
            decoded = try JSONDecoder().decode(OIDCMetadata.self, from: answer.body)
        } catch {
            throw OIDCRefusal(.unreachable, "the discovery document cannot be read")
        }
        let metadata = try decoded.checked(against: issuer)
        let until = now.addingTimeInterval(Self.lifetime(answer.headers))
        entries.withLock { $0[issuer, default: Entry()].metadata = metadata; $0[issuer, default: Entry()].metadataUntil = until }
        return metadata
    }

    /// The provider's signing keys; fetched again when they are stale or do not hold `kid`.
    public func keys(_ metadata: OIDCMetadata, kid: String?, now: Date) async throws(OIDCRefusal) -> SigningKeys {
        let entry = entries.withLock { $0[metadata.issuer] }
        var forUnknownKid = false
        if let cached = entry?.keys, cached.until > now {
            let known = kid.map { cached.kids.contains($0) } ?? true
            if known { return cached }
            if let entry, now.timeIntervalSince(entry.unknownKidFetchedAt) < Self.refetchInterval { return cached }
            forUnknownKid = true
        }
        let answer = try await http.get(metadata.jwksURI)
        guard answer.status == 200 else { throw OIDCRefusal(.unreachable, "the signing keys (JWKS) answered HTTP \(answer.status)") }
        let collection = JWTKeyCollection()
        let kids = try await Self.addSigningKeys(answer.body, to: collection)
        let keys = SigningKeys(collection: collection, kids: kids, fetchedAt: now,
                               until: now.addingTimeInterval(Self.lifetime(answer.headers)))
        entries.withLock {
            $0[metadata.issuer, default: Entry()].keys = keys
            if forUnknownKid { $0[metadata.issuer, default: Entry()].unknownKidFetchedAt = now }
        }
        return keys
    }

    /// Adds the keys meant for signatures (not `use: enc`, with a `kid`, RSA or EC) and returns
    /// their ids. One unreadable key does not spoil the others.
    static func addSigningKeys(_ body: Data, to collection: JWTKeyCollection) async throws(OIDCRefusal) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let keys = object["keys"] as? [[String: Any]] else {
            throw OIDCRefusal(.unreachable, "the signing keys (JWKS) cannot be read")
        }
        var kids: Set<String> = []
        for key in keys {
            guard let kid = key["kid"] as? String, !kid.isEmpty, (key["use"] as? String ?? "sig") == "sig",
                  ["RSA", "EC"].contains(key["kty"] as? String ?? ""),
                  let data = try? JSONSerialization.data(withJSONObject: key),
                  let jwk = try? JSONDecoder().decode(JWK.self, from: data) else { continue }
            do {
                try await collection.add(jwk: jwk)
                kids.insert(kid)
            } catch {
                continue
            }
        }
        guard !kids.isEmpty else { throw OIDCRefusal(.unreachable, "the signing keys (JWKS) hold no key for signatures") }
        return kids
    }

    static func lifetime(_ headers: HTTPHeaders) -> TimeInterval {
        let cacheControl = headers.first(name: "Cache-Control")?.lowercased() ?? ""
        guard let range = cacheControl.range(of: "max-age="),
              let seconds = TimeInterval(cacheControl[range.upperBound...].prefix { $0.isNumber }) else {
            return defaultLifetime
        }
        return min(max(seconds, lifetimes.lowerBound), lifetimes.upperBound)
    }
}
