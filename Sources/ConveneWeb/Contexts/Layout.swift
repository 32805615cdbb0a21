import ConveneCore
import Vapor

/// What the layout template needs on every page.
struct LayoutContext: Encodable {
    struct NavItem: Encodable {
        let label: String
        let href: String
        let current: Bool
    }

    struct UserBadge: Encodable {
        let name: String
        let role: String
    }

    struct Notification: Encodable {
        let title: String
        let heading: String
        let body: String
        let success: Bool
        var hasBody: Bool { !body.isEmpty }

        enum CodingKeys: String, CodingKey { case title, heading, body, success, hasBody }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title)
            try c.encode(heading, forKey: .heading)
            try c.encode(body, forKey: .body)
            try c.encode(success, forKey: .success)
            try c.encode(hasBody, forKey: .hasBody)
        }
    }

    typealias ErrorItem = ErrorLink

    let title: String
    let signedIn: Bool
    let hasErrors: Bool
    let user: UserBadge?
    let nav: [NavItem]
    let csrf: String
    let notification: Notification?
    let errors: [ErrorItem]
    let backLink: String?
    let signOutPath: String
    let assetVersion: String
    /// Where the page moves on to by itself (a `refresh` meta element); empty: it stays.
    var refresh = ""
}

/// A page: the layout's context plus the page's own.
struct PageContext<Page: Encodable>: Encodable {
    let layout: LayoutContext
    let page: Page
}

extension Request {
    /// Renders a page in the layout. Errors become the GOV.UK error summary, each linking to
    /// its field; a page with errors is answered 400 so that scripts can tell.
    func page<P: Encodable>(_ template: String, title: String, _ page: P, errors: [InputError] = [],
                            notification: LayoutContext.Notification? = nil, backLink: String? = nil,
                            status: HTTPResponseStatus? = nil, refresh: String = "",
                            errorHref: ((InputError) -> String)? = nil) async throws -> Response {
        var view = try await render(template, title: title, page, errors: errors, notification: notification, backLink: backLink,
                                    refresh: refresh, errorHref: errorHref)
        // The error summary lists the problems in the order the page asks the questions (issue
        // 14): where there are several, their fields' places on the page order them.
        if errors.count > 1 {
            let html = String(buffer: view.data)
            func place(_ error: InputError) -> Int {
                guard let range = html.range(of: "id=\"" + error.field.htmlID + "\"") else { return Int.max }
                return html.distance(from: html.startIndex, to: range.lowerBound)
            }
            let ordered = errors.enumerated().sorted { a, b in
                let (pa, pb) = (place(a.element), place(b.element))
                return pa != pb ? pa < pb : a.offset < b.offset
            }.map(\.element)
            if ordered != errors {
                view = try await render(template, title: title, page, errors: ordered, notification: notification, backLink: backLink,
                                        refresh: refresh, errorHref: errorHref)
            }
        }
        let response = try await view.encodeResponse(for: self)
        response.status = status ?? (errors.isEmpty ? .ok : .badRequest)
        return response
    }

    private func render<P: Encodable>(_ template: String, title: String, _ page: P, errors: [InputError],
                                      notification: LayoutContext.Notification?, backLink: String?, refresh: String,
                                      errorHref: ((InputError) -> String)?) async throws -> View {
        let layout = LayoutContext(
            title: (errors.isEmpty ? "" : "Error: ") + title + " – Convene",
            signedIn: currentUser != nil,
            hasErrors: !errors.isEmpty,
            user: currentUser.map { .init(name: $0.name, role: $0.role.label) },
            nav: navigation(),
            csrf: csrfToken,
            notification: notification,
            errors: errors.map { .init(href: errorHref?($0) ?? "#" + $0.field.htmlID, text: $0.message) },
            backLink: backLink,
            signOutPath: SiteURL.signOut.path,
            assetVersion: "1",
            refresh: refresh)
        return try await self.view.render(template, PageContext(layout: layout, page: page))
    }

    /// The navigation a person's role gives them.
    func navigation() -> [LayoutContext.NavItem] {
        guard let user = currentUser, user.invitationScope == nil else { return [] }
        var items: [(String, SiteURL)] = [("My work", .myWork)]
        if user.role.isSocialCare {
            items.append(("Team", .team))
        }
        if [.socialWorker, .teamManager, .serviceManager].contains(user.role) {
            items.append(("Request a discussion", .newDiscussion))
        }
        if user.seesMeetingsCalendar {
            items.append(("Meetings", .calendar))
        }
        if user.maySearch {
            items.append(("Find a discussion", .search))
        }
        if user.may(.viewPerformance) {
            items.append(("Performance", .performance))
        }
        if user.role == .serviceManager {
            items.append(("Disclosure requests", .disclosures))
        }
        if user.role == .administrator {
            items = [("Administration", .admin), ("Outbox", .adminPart(.outbox))]
        }
        if user.role == .auditor {
            items = [("Audit trail", .audit)]
        }
        items.append(("Procedures", .packs))
        items.append(("Your account", .account))
        let path = url.path
        return items.map { label, site in
            .init(label: label, href: site.path, current: path == site.path || (site != .home && path.hasPrefix(site.path + "/")))
        }
    }
}

extension LayoutContext.Notification {
    static func success(_ heading: String, _ body: String = "") -> Self {
        .init(title: "Success", heading: heading, body: body, success: true)
    }

    static func important(_ heading: String, _ body: String = "") -> Self {
        .init(title: "Important", heading: heading, body: body, success: false)
    }
}
