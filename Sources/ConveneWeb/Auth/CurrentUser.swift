import ConveneCore
import ConveneLifecycle
import ConveneStore
import Foundation
import Vapor

// `CurrentUser` (the signed-in person) is the lifecycle's: operations run with it.

extension Request {
    struct CurrentUserKey: StorageKey {
        typealias Value = CurrentUser
    }

    public var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in person, or 401 (pages turn it into a redirect to sign in).
    public func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized, reason: "Sign in to continue.") }
        return user
    }

    public var actor: Actor {
        currentUser?.actor(ip: clientIP) ?? Actor(id: nil, name: "anonymous", organisationID: nil, ip: clientIP)
    }

    /// True for the JSON API; its errors are problem details, not pages.
    public var isAPI: Bool {
        url.path.hasPrefix("/api/")
    }
}
