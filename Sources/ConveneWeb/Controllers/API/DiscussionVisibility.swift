import ConveneStore
import Foundation
import Vapor

extension Request {
    /// What the signed-in person may list (`CurrentUser.discussionListScope`).
    func discussionListScope() throws -> DiscussionListScope {
        try requireUser().discussionListScope(now: now)
    }
}
