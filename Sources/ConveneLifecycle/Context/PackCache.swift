import Foundation
import Synchronization

/// Which procedure pack each authority follows, held for a minute: every page about a
/// discussion needs it, and it changes only when an administrator changes it (which clears it
/// here at once; other app servers see the change within the minute).
public final class PackCache: Sendable {
    static let lifetime: TimeInterval = 60
    private let entries = Mutex<[UUID: (packID: String, until: Date)]>([:])

    public init() {}

    func packID(_ organisationID: UUID, now: Date) -> String? {
        entries.withLock { $0[organisationID] }.flatMap { $0.until > now ? $0.packID : nil }
    }

    func store(_ organisationID: UUID, packID: String, now: Date) {
        entries.withLock { $0[organisationID] = (packID, now.addingTimeInterval(Self.lifetime)) }
    }

    public func forget(_ organisationID: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: organisationID) }
    }
}
