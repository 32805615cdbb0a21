import ConveneStore
import FluentKit
import Foundation

/// Counts failed sign-ins per client address in the database, so every app server shares
/// the count (ASVS-5.0-6.3.1).
public enum LoginThrottling {
    public static let window: TimeInterval = 15 * 60
    /// Failures from one address in the window before it is blocked; raised only for the
    /// sqlmap scan (scripts/sqlmap.sh), which must reach the sign-in code to test it.
    public static let maxPerAddress = Int(ProcessInfo.processInfo.environment["CONVENE_THROTTLE_PER_ADDRESS"] ?? "") ?? 30
    public static let maxPerAccount = 5
    public static let lockout: TimeInterval = 15 * 60

    public static func isBlocked(_ key: String, now: Date, db: any Database) async throws -> Bool {
        guard let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first() else { return false }
        return now.timeIntervalSince(row.windowStart) < window && row.count >= maxPerAddress
    }

    public static func recordFailure(_ key: String, now: Date, db: any Database) async throws {
        if let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first() {
            if now.timeIntervalSince(row.windowStart) >= window {
                row.windowStart = now
                row.count = 1
            } else {
                row.count += 1
            }
            try await row.save(on: db)
        } else {
            try await LoginThrottle(key: key, count: 1, windowStart: now).create(on: db)
        }
    }
}
