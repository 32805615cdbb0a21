import FluentKit

/// Every migration, in order. Each release adds a numbered folder; nothing here is edited
/// once released.
public enum Migrations {
    public static let all: [any Migration] = [
        // 001: the first schema.
        CreateOrganisations(), CreateTeams(), CreatePeople(), CreateCases(), CreateDiscussions(), CreateRecordTables(),
        CreateAudit(), CreateSessionsAndAccess(),
        // 002: procedures right and complete (issue 16).
        AddEarlyStartReason(), AddInvitationPhone(), CreateCalendars(), CreateCalendarCells(), AddDiscussionCalendar(),
        CreateOutcomeChanges(), CreateOutcomeResponses(), AddTeamAreas(), CreateCaseTransfers(),
        AddDiscussionTeleconference(), CreateExtractAccesses(),
        // 003: issue 9 (sign-in hardening, tamper seals).
        AddSignInHardening(), AddTamperSeals(), ScopeEmailToAuthority(),
        // 004: issue 15 (sign-in through the authority's own directory, OpenID Connect).
        CreateOIDCProviders(), CreateOIDCSignIns(), AddPersonDirectoryIdentity(), AddSessionMethod(),
        // 005: issue 11 (the outbox as a delivery queue, notification preferences).
        AddOutboxDelivery(), CreateNotificationPreferences(),
        // 006: issue 13 (oversight: the facts behind the performance figures, observations).
        CreateDiscussionFacts(), CreateObservations(),
        // 007: issue 11 (the calendar part's SEQUENCE, for rearrangements and cancellations).
        AddOutboxCalendarSequence(),
        // 008: issue 13 (the convening deadline as columns, for the performance view's trend).
        AddDiscussionFactsConvening(),
        // 009: issue 12 (lists read from covering indexes).
        AddListIndexes(),
        // 010: issue 12 (My work's unread minutes from an index).
        AddMyWorkIndexes(),
        // 011: issue 12 (invitations carry their discussion's list columns).
        AddInvitationListColumns(),
        // 012: issue 12 (lists in given stages read a stage at a time, by deadline).
        AddStageListIndexes(),
    ]
}
