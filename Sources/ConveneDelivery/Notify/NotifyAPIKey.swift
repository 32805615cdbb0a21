import ConveneCore
import Foundation

/// A GOV.UK Notify API key, as Notify shows it once when it is created:
/// `{key_name}-{service_id}-{secret_key}`, where the last two are UUIDs.
///
/// The key name may itself contain hyphens, so the two UUIDs are read from the end: the
/// last 36 characters are the secret, the 36 before the hyphen before them the service id
/// (the JWT's `iss`).
public struct NotifyAPIKey: Hashable, Sendable, CustomStringConvertible {
    public let keyName: String
    public let serviceID: String
    public let secret: String

    public init(_ text: String) throws(InputError) {
        let key = text.trimmed
        let uuidLength = 36
        guard key.count >= 2 * uuidLength + 1 else {
            throw InputError(field: "apiKey", "is too short for a Notify API key ({key name}-{service id}-{secret key})")
        }
        let secret = String(key.suffix(uuidLength))
        let rest = key.dropLast(uuidLength)
        guard rest.hasSuffix("-") else {
            throw InputError(field: "apiKey", "must end with -{service id}-{secret key}, two UUIDs")
        }
        let service = String(rest.dropLast().suffix(uuidLength))
        let name = rest.dropLast().dropLast(uuidLength)
        guard UUID(uuidString: service) != nil, UUID(uuidString: secret) != nil else {
            throw InputError(field: "apiKey", "must end with -{service id}-{secret key}, two UUIDs: copy the whole key from Notify")
        }
        self.keyName = name.hasSuffix("-") ? String(name.dropLast()) : String(name)
        self.serviceID = service
        self.secret = secret
    }

    /// Never prints the secret, so a key can be logged by mistake without leaking.
    public var description: String { "Notify key \(keyName) for service \(serviceID)" }
}
