import ConveneStore
import Foundation
import Synchronization

/// The discussions one request (a page, an API call) loaded, and whether each read was logged:
/// a load through `DiscussionAccess` is a read of the children's details, and no read goes
/// unlogged (ASVS-5.0-16.3, issue 9).
public final class ReadLog: Sendable {
    private let reads = Mutex<[(id: UUID, record: AuditRecord, logged: Bool)]>([])

    public init() {}

    public func loaded(_ id: UUID, _ record: AuditRecord) {
        reads.withLock { list in
            if !list.contains(where: { $0.id == id }) { list.append((id, record, false)) }
        }
    }

    public func markLogged(_ id: UUID) {
        reads.withLock { list in
            if let i = list.firstIndex(where: { $0.id == id }) { list[i].logged = true } else {
                list.append((id, AuditRecord("view", "discussion", id: id), true))
            }
        }
    }

    public func unlogged() -> [AuditRecord] {
        reads.withLock { $0.filter { !$0.logged }.map(\.record) }
    }
}
