/// A requirement's identifier in `requirements.md`, e.g. `TIME-001-02`: every rule in a pack
/// carries one, so each deadline, slot and attendance rule is traceable to its source.
public struct RequirementID: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let description: String

    public static let areas = ["INT", "TRIG", "REQ", "TIME", "SLOT", "ATT", "AGN", "DEC", "ACT", "REC", "IMM", "OVS"]

    public init?(validating text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, RequirementID.areas.contains(String(parts[0])),
              parts[1] == "ALL" || (parts[1].count == 3 && parts[1].allSatisfy(\.isNumber)),
              parts[2].count == 2, parts[2].allSatisfy(\.isNumber) else { return nil }
        description = text
    }

    public init(stringLiteral value: String) {
        guard let id = RequirementID(validating: value) else {
            preconditionFailure("not a requirement ID: \(value)")
        }
        self = id
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = RequirementID(validating: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a requirement ID like TIME-001-02 (AREA-SOURCE-NN)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The seed the requirement comes from (`001`), or `ALL`.
    public var source: String {
        String(description.split(separator: "-")[1])
    }
}
