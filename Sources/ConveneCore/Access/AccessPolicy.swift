/// The people who use Convene (issue 5: one table in code and in docs/security.md).
public enum Role: String, Codable, CaseIterable, Sendable {
    case socialWorker = "social-worker"
    case teamManager = "team-manager"
    case serviceManager = "service-manager"
    case minuteTaker = "minute-taker"
    case partnerAgency = "partner-agency"
    case administrator
    case auditor

    public var label: String {
        switch self {
        case .socialWorker: "Social worker"
        case .teamManager: "Team manager (chair)"
        case .serviceManager: "Service manager"
        case .minuteTaker: "Minute taker (business support)"
        case .partnerAgency: "Partner agency member"
        case .administrator: "Administrator"
        case .auditor: "Auditor"
        }
    }

    /// Roles of children's social care staff, who work on their team's discussions.
    public var isSocialCare: Bool {
        self == .socialWorker || self == .teamManager || self == .serviceManager || self == .minuteTaker
    }

    /// Administrators must use a second factor (issue 5; NHS DSPT privileged accounts).
    public var requiresSecondFactor: Bool {
        self == .administrator
    }
}

/// What someone may do. Default deny: anything not granted by `AccessPolicy.rules` is refused.
public enum Permission: String, CaseIterable, Sendable {
    case viewDiscussion = "view-discussion"
    case viewRecord = "view-record"
    /// One SMART action: the person responsible at any time; otherwise whoever may read the record.
    case viewAction = "view-action"
    case createRequest = "create-request"
    case decideConvene = "decide-convene"
    case book
    case rebookOrCancel = "rebook-or-cancel"
    case manageInvitations = "manage-invitations"
    case recordMeeting = "record-meeting"
    case finaliseRecord = "finalise-record"
    case authoriseRecord = "authorise-record"
    case circulateRecord = "circulate-record"
    case submitCorrection = "submit-correction"
    case decideCorrection = "decide-correction"
    case updateActionStatus = "update-action-status"
    case recordFollowUp = "record-follow-up"
    case recordImmediateProtection = "record-immediate-protection"
    case overrideDeadline = "override-deadline"
    /// REQ-003-01: move a case to another team.
    case transferCase = "transfer-case"
    case requestDisclosure = "request-disclosure"
    case decideDisclosure = "decide-disclosure"
    case breakGlass = "break-glass"
    case exportRecord = "export-record"
    case viewTeamWork = "view-team-work"
    /// OVS-ALL-01: the performance figures (a team manager's team, a service manager's authority).
    case viewPerformance = "view-performance"
    /// The performance view's exports (issue 13): CSV of discussions, actions, the inspection list.
    case exportPerformance = "export-performance"
    /// OVS-001-01: a service manager records observing a discussion.
    case observeDiscussion = "observe-discussion"
    case viewAudit = "view-audit"
    case administer
}

/// How the person stands towards the thing they act on.
public enum Scope: String, CaseIterable, Sendable {
    /// Staff of the discussion's own team.
    case team
    /// Staff of a team the case was transferred away from, for the discussions it held (REQ-003-01).
    case formerTeam = "former-team"
    /// Anyone in the same organisation (local authority).
    case organisation
    /// Invited to this discussion.
    case invitee
    /// Invited, and the minutes have been circulated (REC-ALL-02: they go to the invitees on
    /// circulation; before that the record is the chair's and the manager's to finish).
    case inviteeAfterCirculation = "invitee-after-circulation"
    /// Named as responsible for the action.
    case actionOwner = "action-owner"
    /// Holds a current access grant (a decided disclosure request, or a break-glass read).
    case grant
}

/// The facts about one person and one object that the policy decides on.
public struct AccessContext: Hashable, Sendable {
    public var role: Role
    public var sameOrganisation: Bool
    public var sameTeam: Bool
    public var invitee: Bool
    public var minutesReleased: Bool
    public var actionOwner: Bool
    public var grant: Bool
    /// The person's team held this discussion before the case was transferred away.
    public var formerTeam: Bool

    public init(role: Role, sameOrganisation: Bool, sameTeam: Bool = false, invitee: Bool = false,
                minutesReleased: Bool = false, actionOwner: Bool = false, grant: Bool = false, formerTeam: Bool = false) {
        self.role = role
        self.sameOrganisation = sameOrganisation
        self.formerTeam = formerTeam
        self.sameTeam = sameTeam
        self.invitee = invitee
        self.minutesReleased = minutesReleased
        self.actionOwner = actionOwner
        self.grant = grant
    }

    func has(_ scope: Scope) -> Bool {
        guard sameOrganisation || scope == .invitee || scope == .inviteeAfterCirculation || scope == .actionOwner else {
            return false
        }
        switch scope {
        case .team: return sameOrganisation && sameTeam
        case .formerTeam: return sameOrganisation && formerTeam
        case .organisation: return sameOrganisation
        case .invitee: return invitee
        case .inviteeAfterCirculation: return invitee && minutesReleased
        case .actionOwner: return actionOwner
        case .grant: return grant
        }
    }
}

/// Who may do what: one table (ASVS-5.0-8.2.1 function level, 8.2.2 object level), enforced on
/// the server for every page and API call. Default deny.
public enum AccessPolicy {
    public struct Rule: Hashable, Sendable {
        public let roles: Set<Role>
        public let scopes: Set<Scope>
    }

    static let staff: Set<Role> = [.socialWorker, .teamManager, .serviceManager, .minuteTaker]
    static let everyoneButAdmin: Set<Role> = [.socialWorker, .teamManager, .serviceManager, .minuteTaker, .partnerAgency]

    public static let rules: [Permission: [Rule]] = [
        .viewDiscussion: [
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team, .formerTeam]),
            Rule(roles: [.serviceManager, .minuteTaker], scopes: [.organisation]),
            Rule(roles: everyoneButAdmin, scopes: [.invitee, .grant]),
        ],
        .viewRecord: [
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team, .formerTeam]),
            Rule(roles: [.serviceManager, .minuteTaker], scopes: [.organisation]),
            Rule(roles: everyoneButAdmin, scopes: [.inviteeAfterCirculation, .grant]),
        ],
        .viewAction: [
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team, .formerTeam]),
            Rule(roles: [.serviceManager, .minuteTaker], scopes: [.organisation]),
            Rule(roles: everyoneButAdmin, scopes: [.actionOwner, .inviteeAfterCirculation, .grant]),
        ],
        .createRequest: [Rule(roles: [.socialWorker, .teamManager, .serviceManager], scopes: [.organisation])],
        .decideConvene: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .book: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.minuteTaker, .serviceManager], scopes: [.organisation]),
        ],
        .rebookOrCancel: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.minuteTaker, .serviceManager], scopes: [.organisation]),
        ],
        .manageInvitations: [
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team]),
            Rule(roles: [.minuteTaker, .serviceManager], scopes: [.organisation]),
        ],
        .recordMeeting: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.minuteTaker, .serviceManager], scopes: [.organisation]),
        ],
        .finaliseRecord: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .authoriseRecord: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .circulateRecord: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.minuteTaker, .serviceManager], scopes: [.organisation]),
        ],
        .submitCorrection: [Rule(roles: everyoneButAdmin, scopes: [.inviteeAfterCirculation])],
        .decideCorrection: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .updateActionStatus: [
            Rule(roles: everyoneButAdmin, scopes: [.actionOwner]),
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager, .minuteTaker], scopes: [.organisation]),
        ],
        .recordFollowUp: [
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .recordImmediateProtection: [
            Rule(roles: [.socialWorker, .teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .overrideDeadline: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .transferCase: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .requestDisclosure: [Rule(roles: everyoneButAdmin, scopes: [.organisation, .invitee])],
        .decideDisclosure: [Rule(roles: [.serviceManager], scopes: [.organisation])],
        .breakGlass: [Rule(roles: [.teamManager, .serviceManager], scopes: [.organisation])],
        .exportRecord: [
            Rule(roles: [.teamManager], scopes: [.team]),
            Rule(roles: [.serviceManager], scopes: [.organisation]),
        ],
        .viewTeamWork: [Rule(roles: staff, scopes: [.organisation])],
        // A partner agency member sees their own agency's attendance and actions (issue 13).
        .viewPerformance: [Rule(roles: [.teamManager, .serviceManager, .partnerAgency], scopes: [.organisation])],
        .exportPerformance: [Rule(roles: [.teamManager, .serviceManager], scopes: [.organisation])],
        .observeDiscussion: [Rule(roles: [.serviceManager], scopes: [.organisation])],
        .viewAudit: [Rule(roles: [.auditor], scopes: [.organisation])],
        .administer: [Rule(roles: [.administrator], scopes: [.organisation])],
    ]

    public static func allows(_ permission: Permission, _ context: AccessContext) -> Bool {
        (rules[permission] ?? []).contains { rule in
            rule.roles.contains(context.role) && rule.scopes.contains(where: context.has)
        }
    }

    /// The permissions whose rules touch a role, for the table in docs/security.md.
    public static func table() -> String {
        var lines = ["| permission | " + Role.allCases.map(\.rawValue).joined(separator: " | ") + " |",
                     "| --- |" + String(repeating: " --- |", count: Role.allCases.count)]
        for permission in Permission.allCases {
            let cells = Role.allCases.map { role -> String in
                let scopes = (rules[permission] ?? []).filter { $0.roles.contains(role) }.flatMap(\.scopes)
                let names = Scope.allCases.filter(scopes.contains).map(\.rawValue)
                return names.isEmpty ? "–" : names.joined(separator: ", ")
            }
            lines.append("| \(permission.rawValue) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
