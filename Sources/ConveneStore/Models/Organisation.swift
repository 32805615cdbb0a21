import FluentKit
import Foundation

/// A local authority (tenant): it chooses its procedure pack; teams and people belong to it.
public final class Organisation: Model, @unchecked Sendable {
    public static let schema = "organisations"

    @ID public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "pack_id") public var packID: String
    /// Years after which records may be reviewed for deletion, by record type (issue 5).
    @Field(key: "retention") public var retention: RetentionPolicy
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, name: String, packID: String, retention: RetentionPolicy = .init()) {
        self.id = id
        self.name = name
        self.packID = packID
        self.retention = retention
    }
}

/// Retention periods (issue 5): child protection records are typically kept until the child's
/// 25th birthday or longer; nothing is deleted silently.
public struct RetentionPolicy: Codable, Hashable, Sendable {
    /// Keep discussion records until the youngest child reaches this age.
    public var recordsUntilAge: Int
    /// Keep audit entries for this many years.
    public var auditYears: Int
    /// Keep discussions that were never convened (declined, cancelled) this many years.
    public var notConvenedYears: Int

    public init(recordsUntilAge: Int = 25, auditYears: Int = 30, notConvenedYears: Int = 6) {
        self.recordsUntilAge = recordsUntilAge
        self.auditYears = auditYears
        self.notConvenedYears = notConvenedYears
    }
}

extension Organisation {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $name, $packID, $retention, $createdAt,
        ]
    }
}
