import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// The two links invitees without an account receive: the personal link to a discussion
/// (REQ-001-03: single-person, time-limited, bound to the first browser that opens it) and a
/// teleconference request's extract (REQ-002-01: opens only with the access code sent
/// separately, locked after five wrong codes).
extension Operations {
    /// A token as links carry it: anything else is not looked up.
    static func plausibleToken(_ token: String) -> Bool {
        (20...100).contains(token.count)
    }

    static func invitation(personalLink token: String, _ ctx: LifecycleContext) async throws -> Invitation? {
        guard plausibleToken(token) else { return nil }
        let invitation = try await Invitation.query(on: ctx.db).filter(\.$accessTokenHash == Tokens.sha256(token)).first()
        return invitation.flatMap { ($0.accessExpiresAt ?? .distantPast) > ctx.now ? $0 : nil }
    }

    /// Whether a personal link can still be opened.
    public static func personalLinkValid(_ ctx: LifecycleContext, token: String) async throws -> Bool {
        try await invitation(personalLink: token, ctx) != nil
    }

    /// Opens a personal link in the browser identified by `deviceHash`: refused (and audited)
    /// when the link was opened in another browser. The invitee becomes a person without a
    /// password, so their actions are attributable; `openSession` runs in the same transaction.
    /// Returns the discussion's id.
    public static func redeemPersonalLink(
        _ ctx: LifecycleContext, token: String, deviceHash: String,
        openSession: @escaping @Sendable (Person, Invitation, any Database) async throws -> Void
    ) async throws -> UUID {
        guard let invitation = try await invitation(personalLink: token, ctx) else { throw LifecycleError.notFound() }
        if let bound = invitation.accessDeviceHash, bound != deviceHash {
            try await ctx.db.audit([AuditRecord("access-link-refused", "invitation", id: invitation.id,
                                                reason: "opened in a second browser", detail: invitation.name)],
                                   by: ctx.actor, now: ctx.now)
            throw LifecycleError.notAllowed("This personal link has already been opened in another browser, so it cannot be used here. Links cannot be forwarded. Ask the chair to send you a new one.")
        }
        let invitee = Actor(id: nil, name: invitation.name, organisationID: invitation.organisationID, ip: ctx.clientAddress)
        try await ctx.db.audited(by: invitee, now: ctx.now) { db in
            let person = try await externalPerson(for: invitation, on: db)
            invitation.personID = person.id
            invitation.accessDeviceHash = deviceHash
            try await invitation.save(on: db)
            try await openSession(person, invitation, db)
            return ((), [AuditRecord("access-link-opened", "invitation", id: invitation.id, detail: invitation.name)])
        }
        return invitation.$discussion.id
    }

    /// The invitee as a person without a password (someone with an account signs in instead).
    static func externalPerson(for invitation: Invitation, on db: any Database) async throws -> Person {
        if let id = invitation.personID, let person = try await Person.find(id, on: db) { return person }
        let email = invitation.email.isBlank ? "invitee-\(invitation.id!.slug)@invitees.convene" : invitation.email
        if let existing = try await Person.query(on: db).filter(\.$organisation.$id == invitation.organisationID)
            .filter(\.$email == email.lowercased()).first() {
            guard existing.passwordHash == nil else {
                throw LifecycleError.conflict("You have a Convene account: sign in with it instead.")
            }
            return existing
        }
        let person = Person(organisationID: invitation.organisationID, teamID: nil, name: invitation.name, email: email,
                            role: .partnerAgency, agency: invitation.agency, agencyRole: invitation.role)
        try await person.create(on: db)
        return person
    }

    static func extractAccess(_ token: String, _ ctx: LifecycleContext) async throws -> ExtractAccess? {
        guard plausibleToken(token) else { return nil }
        return try await ExtractAccess.query(on: ctx.db).filter(\.$tokenHash == Tokens.sha256(token)).first()
    }

    static func usable(_ access: ExtractAccess?, now: Date) -> Bool {
        guard let access else { return false }
        return access.expiresAt > now && access.failedAttempts < ExtractAccess.maxAttempts
    }

    /// Whether an extract link can still be opened (not expired, not locked).
    public static func extractLinkUsable(_ ctx: LifecycleContext, token: String) async throws -> Bool {
        usable(try await extractAccess(token, ctx), now: ctx.now)
    }

    /// What opening an extract with a code came to.
    public enum ExtractOpening: Sendable {
        /// Expired, locked or not a link: nothing is shown.
        case unusable
        /// The code was wrong (the attempt is counted and audited); `usable` is false once locked.
        case wrongCode(InputError, usable: Bool)
        case opened(title: String, sections: [ExtractSection])
    }

    public static func openExtract(_ ctx: LifecycleContext, token: String, code: String) async throws -> ExtractOpening {
        guard let access = try await extractAccess(token, ctx), usable(access, now: ctx.now) else { return .unusable }
        let now = ctx.now
        guard Tokens.constantTimeEqual(Tokens.sha256(token + ":" + code.trimmed), access.codeHash) else {
            let link = Actor(id: nil, name: "extract link", organisationID: nil, ip: ctx.clientAddress)
            try await ctx.db.audited(by: link, now: now) { db in
                access.failedAttempts += 1
                try await access.save(on: db)
                return ((), [AuditRecord("extract-refused", "invitation", id: access.invitationID, reason: "wrong access code",
                                         detail: "attempt \(access.failedAttempts)",
                                         flagged: access.failedAttempts >= ExtractAccess.maxAttempts)])
            }
            return .wrongCode(InputError(field: "code", "The access code is not right. Check the separate message and try again."),
                              usable: usable(access, now: now))
        }
        guard let discussion = try await Discussion.find(access.discussionID, on: ctx.db),
              let message = try await ctx.pack(ofOrganisation: discussion.organisationID).requestMessage else {
            throw LifecycleError.notFound()
        }
        let invitation = try await Invitation.find(access.invitationID, on: ctx.db)
        let invitee = Actor(id: nil, name: invitation?.name ?? "invitee", organisationID: discussion.organisationID,
                            ip: ctx.clientAddress)
        try await ctx.db.audited(by: invitee, now: now) { db in
            if access.openedAt == nil { access.openedAt = now }
            try await access.save(on: db)
            return ((), [AuditRecord("extract-opened", "discussion", id: discussion.id, caseID: discussion.$case.id,
                                     childIDs: discussion.request.children.map(\.id), detail: invitation?.name ?? "")])
        }
        return .opened(title: message.title(for: discussion.request, reference: discussion.reference),
                       sections: message.sections(for: discussion.request, start: discussion.slotStart,
                                                  teleconference: discussion.teleconference))
    }
}
