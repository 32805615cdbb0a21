import Foundation

/// Every path of the site, defined once: routes are registered from these and every link is
/// printed from them. Paths carry only opaque ids, never personal data (ASVS-5.0-14.2.1).
public enum SiteURL: Sendable, Hashable {
    case home
    case signIn
    case secondFactor
    /// Start signing in through an authority's directory (POST), and where it sends people back.
    case oidcStart(UUID)
    case oidcCallback
    case signOut
    case signOutEverywhere
    case myWork
    case team
    /// The performance figures (OVS-ALL-01) and the discussions behind one of them.
    case performance
    case performanceMeasure(String)
    /// Finding a discussion (issue 14), and the week's booked meetings.
    case search
    case calendar
    case packs
    case pack(String)
    case newDiscussion
    case discussions
    case discussion(UUID)
    case discussionPart(UUID, DiscussionPart)
    case decisionsForChild(UUID, UUID)
    case actionInDiscussion(UUID, UUID)
    case correction(UUID, UUID)
    case version(UUID, Int)
    case caseOverview(UUID)
    case casePart(UUID, CasePart)
    case action(UUID)
    case access(String)
    case extract(String)
    case account
    case accountPart(AccountPart)
    case admin
    case adminPart(AdminPart)
    case person(UUID)
    case audit
    case disclosures
    case disclosure(UUID)
    case grant(UUID)
    case asset(String)

    public enum DiscussionPart: String, Sendable, CaseIterable {
        case request, decision, booking, cancel, invitations, send, meeting, attendance, agenda, checklist, decisions, actions
        case record, finalise, reopen, authorise, circulate, minutes, corrections, versions, disclosureRequest = "disclosure-request"
        case breakGlass = "break-glass", export, sarcContact = "sarc-contact", outcome, observation
    }

    public enum CasePart: String, Sendable, CaseIterable {
        case events, reviews, notes, immediateProtection = "immediate-protection", transfer
    }

    public enum AccountPart: String, Sendable, CaseIterable {
        case password, totp, tokens, sessions
    }

    public enum AdminPart: String, Sendable, CaseIterable {
        case people, teams, outbox, retention, organisation, directory
    }

    public var path: String {
        switch self {
        case .home: "/"
        case .signIn: "/sign-in"
        case .secondFactor: "/sign-in/second-factor"
        case let .oidcStart(id): "/sign-in/oidc/\(id.slug)"
        case .oidcCallback: "/sign-in/oidc/callback"
        case .signOut: "/sign-out"
        case .signOutEverywhere: "/sign-out-everywhere"
        case .myWork: "/my-work"
        case .team: "/team"
        case .performance: "/performance"
        case let .performanceMeasure(key): "/performance/\(key)"
        case .search: "/search"
        case .calendar: "/calendar"
        case .packs: "/packs"
        case let .pack(id): "/packs/\(id)"
        case .newDiscussion: "/discussions/new"
        case .discussions: "/discussions"
        case let .discussion(id): "/discussions/\(id.slug)"
        case let .discussionPart(id, part): "/discussions/\(id.slug)/\(part.rawValue)"
        case let .decisionsForChild(id, child): "/discussions/\(id.slug)/decisions/\(child.slug)"
        case let .actionInDiscussion(id, action): "/discussions/\(id.slug)/actions/\(action.slug)"
        case let .correction(id, correction): "/discussions/\(id.slug)/corrections/\(correction.slug)"
        case let .version(id, number): "/discussions/\(id.slug)/versions/\(number)"
        case let .caseOverview(id): "/cases/\(id.slug)"
        case let .casePart(id, part): "/cases/\(id.slug)/\(part.rawValue)"
        case let .action(id): "/actions/\(id.slug)"
        case let .access(token): "/access/\(token)"
        case let .extract(token): "/extract/\(token)"
        case .account: "/account"
        case let .accountPart(part): "/account/\(part.rawValue)"
        case .admin: "/admin"
        case let .adminPart(part): "/admin/\(part.rawValue)"
        case let .person(id): "/admin/people/\(id.slug)"
        case .audit: "/audit"
        case .disclosures: "/disclosures"
        case let .disclosure(id): "/disclosures/\(id.slug)"
        case let .grant(id): "/grants/\(id.slug)"
        case let .asset(name): "/assets/\(name)"
        }
    }
}

extension UUID {
    /// Lower-case, as printed in paths.
    public var slug: String { uuidString.lowercased() }
}

extension SiteURL {
    /// Only a local path may follow sign-in (no open redirect): one slash then a path of
    /// printable characters; no `//`, backslash, tab, newline or other control character, which
    /// browsers strip or turn into a slash (`/%09/evil.example` would leave the site).
    public static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), next.count <= 2000 else { return "" }
        let decoded = next.removingPercentEncoding ?? next
        for text in [next, decoded] {
            if text.hasPrefix("//") || text.contains("\\") || text.unicodeScalars.contains(where: {
                CharacterSet.controlCharacters.contains($0) || CharacterSet.whitespacesAndNewlines.contains($0)
            }) { return "" }
        }
        return next
    }
}
