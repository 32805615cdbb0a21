import FluentKit

/// Every migration, in order. Each release adds a numbered folder; nothing here is edited
/// once released.
public enum Migrations {
    public static let all: [any Migration] = [
        // 001: the first schema.
        CreateOrganisations(), CreateTeams(), CreatePeople(), CreateCases(), CreateDiscussions(), CreateRecordTables(),
        CreateAudit(), CreateSessionsAndAccess(),
        // 003: issue 9 (sign-in hardening, tamper seals).
        AddSignInHardening(), AddTamperSeals(), ScopeEmailToAuthority(),
    ]
}
