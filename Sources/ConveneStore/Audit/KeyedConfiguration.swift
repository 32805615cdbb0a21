import FluentKit
import Foundation

/// A database configuration that carries the key ring, so every audited write on that
/// database is keyed and sealed without each caller passing the keys along. It delegates
/// everything else to the driver's own configuration.
struct KeyedConfiguration: DatabaseConfiguration {
    var inner: any DatabaseConfiguration
    let keys: KeyRing
    /// Group commit of this database's record-only audit entries.
    let batcher = AuditBatcher()

    var middleware: [any AnyModelMiddleware] {
        get { inner.middleware }
        set { inner.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        inner.makeDriver(for: databases)
    }
}

public struct MissingKeysError: Error, CustomStringConvertible {
    public var description: String {
        "This database was opened without the audit key ring, so nothing can be written to the audit trail"
    }
}

extension Database {
    /// The key ring the database was configured with (`DatabaseLocation.configuration(keys:)`).
    public func keyRing() throws -> KeyRing {
        guard let keyed = context.configuration as? KeyedConfiguration else { throw MissingKeysError() }
        return keyed.keys
    }

    var auditBatcher: AuditBatcher? {
        (context.configuration as? KeyedConfiguration)?.batcher
    }
}

extension DatabaseConfigurationFactory {
    /// The same database, carrying `keys`.
    public func keyed(_ keys: KeyRing) -> DatabaseConfigurationFactory {
        DatabaseConfigurationFactory {
            var configuration = KeyedConfiguration(inner: self.make(), keys: keys)
            // Invitations keep their discussion's list columns (`InvitationMirror`).
            configuration.middleware += [DiscussionMirrorMiddleware(), InvitationMirrorMiddleware()]
            return configuration
        }
    }
}
