import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// Your account → Notifications (issue 11): per kind of notice, at once, in a daily digest, or
/// off. Statutory notices are listed as always sent at once; the rules are
/// `NotificationPreferences` in ConveneCore, the reading and saving the lifecycle's.
enum NotificationsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("account", "notifications", use: show)
        routes.post("account", "notifications", use: save)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let preferences = try await Operations.notificationPreferences(req.lifecycle)
        let values = Dictionary(uniqueKeysWithValues: NoticeKind.choosable.map { ($0.rawValue, preferences.delivery(for: $0).rawValue) })
        return try await render(req, FormState(values: values), notification: req.query[String.self, at: "done"] == nil ? nil
            : .success("Your choices are saved"))
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let form = try FormData(req)
        var fields: [String: String] = [:]
        for kind in NoticeKind.choosable where form.has(kind.rawValue) { fields[kind.rawValue] = form[kind.rawValue] }
        do {
            try await Operations.saveNotificationPreferences(req.lifecycle, fields: fields)
        } catch let failure as ValidationFailure {
            return try await render(req, FormState(values: fields, errors: failure.errors))
        }
        return req.redirect(to: SiteURL.account.path + "/notifications?done=saved", redirectType: .normal)
    }

    static func render(_ req: Request, _ state: FormState, notification: LayoutContext.Notification? = nil) async throws -> Response {
        return try await req.page("notifications", title: "Notifications", NotificationsPage(state: state),
            errors: state.errors, notification: notification, backLink: SiteURL.account.path)
    }
}
