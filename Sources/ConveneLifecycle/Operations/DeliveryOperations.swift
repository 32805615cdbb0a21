import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// What people see and do about messages (issue 11): the authority's outbox and Send again for
/// administrators, each invitee's delivery and Send again for whoever manages the invitations,
/// each person's notification choices, and a discussion's calendar file.
extension Operations {
    /// The authority's messages and what became of each: failed ones first (the latest 100 of
    /// each), then the rest; looking is audited.
    public static func outboxWithFailures(_ ctx: LifecycleContext) async throws -> (failed: [OutboxMessage], recent: [OutboxMessage]) {
        let user = try requireAdministrator(ctx)
        let failed = try await OutboxMessage.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
            .filter(\.$status == .failed).sort(\.$createdAt, .descending).limit(100).all()
        let recent = try await OutboxMessage.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
            .filter(\.$status != .failed).sort(\.$createdAt, .descending).limit(100).all()
        try await ctx.db.audit([AuditRecord("view", "outbox", detail: "\(failed.count + recent.count) messages")], by: ctx.actor,
                               now: ctx.now)
        return (failed, recent)
    }

    /// An administrator sends a failed message of their authority again (its tries start over), audited.
    public static func resendMessage(_ ctx: LifecycleContext, messageID id: UUID) async throws {
        let user = try requireAdministrator(ctx)
        guard let message = try await OutboxMessage.find(id, on: ctx.db), message.organisationID == user.organisationID else {
            throw LifecycleError.notFound()
        }
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            guard try await OutboxQueue.resend(id, on: db) else {
                throw LifecycleError.conflict("Only a failed message can be sent again; this one is \(message.status.label.lowercased()).")
            }
            return ((), [AuditRecord("resend", "outbox", id: id, detail: message.kind)])
        }
    }

    /// What became of the latest message to each invitee: its status in words, and whether one failed.
    public struct InviteeDelivery: Sendable {
        public let label: String
        public let failed: Bool
    }

    public static func inviteeDeliveries(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> [UUID: InviteeDelivery] {
        let messages = try await OutboxMessage.query(on: ctx.db).filter(\.$discussionID == loaded.id)
            .filter(\.$invitationID != nil).sort(\.$createdAt).all()
        let latest = Dictionary(messages.compactMap { m in m.invitationID.map { ($0, m) } }, uniquingKeysWith: { _, newer in newer })
        let failed = Set(messages.filter { $0.status == .failed }.compactMap(\.invitationID))
        var result: [UUID: InviteeDelivery] = [:]
        for (id, message) in latest {
            result[id] = failed.contains(id) ? InviteeDelivery(label: "Failed", failed: true)
                : InviteeDelivery(label: message.status == .sent ? "Delivered to the mail server" : message.status.label, failed: false)
        }
        return result
    }

    /// Sends the failed messages to one invitee again (issue 11), audited. `loaded` was loaded
    /// for `manageInvitations`.
    @discardableResult
    public static func resendToInvitee(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, invitationID: UUID) async throws -> Int {
        guard loaded.invitations.contains(where: { $0.id == invitationID }) else { throw LifecycleError.notFound() }
        let failed = try await OutboxMessage.query(on: ctx.db).filter(\.$discussionID == loaded.id)
            .filter(\.$invitationID == invitationID).filter(\.$status == .failed).all()
        guard !failed.isEmpty else { throw LifecycleError.conflict("Nothing to this invitee has failed.") }
        return try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            var n = 0
            for message in failed where try await OutboxQueue.resend(try message.requireID(), on: db) { n += 1 }
            return (n, [loaded.audit("invite-resend", "invitation", detail: "\(n) messages")])
        }
    }

    /// Notification choices belong to people with an account; someone in through an invitee's link has none.
    static func requireAccountHolder(_ ctx: LifecycleContext) throws -> CurrentUser {
        let user = try ctx.requireUser()
        guard user.invitationScope == nil else {
            throw LifecycleError.notAllowed("Notification choices belong to people with an account.")
        }
        return user
    }

    /// The signed-in person's notification choices.
    public static func notificationPreferences(_ ctx: LifecycleContext) async throws -> NotificationPreferences {
        let user = try requireAccountHolder(ctx)
        return try await ReminderScheduler.preferences(of: user.id, on: ctx.db)
    }

    /// Saves the notification form: one field per choosable kind, valued `immediately`,
    /// `daily-digest` or `off`. A bad value is refused naming its field (the kind's name).
    public static func saveNotificationPreferences(_ ctx: LifecycleContext, fields: [String: String]) async throws {
        let user = try requireAccountHolder(ctx)
        let preferences: NotificationPreferences
        do {
            preferences = try NotificationPreferences.parse(fields)
        } catch {
            throw ValidationFailure(errors: error.errors.map {
                let name = $0.field.description
                return InputError(field: FieldPath(name.hasPrefix("preferences.") ? String(name.dropFirst("preferences.".count)) : name),
                                  $0.message)
            })
        }
        let personID = user.id
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            try await NotificationPreference.query(on: db).filter(\.$person.$id == personID).delete()
            for (kind, delivery) in preferences.choices.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where delivery != .immediately {
                try await NotificationPreference(personID: personID, kind: kind.rawValue, delivery: delivery.rawValue).create(on: db)
            }
            let summary = preferences.choices.filter { $0.value != .immediately }.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.rawValue)=\($0.value.rawValue)" }.joined(separator: ", ")
            return ((), [AuditRecord("notification-preferences", "person", id: personID, detail: summary.isEmpty ? "all at once" : summary)])
        }
    }

    /// The discussion as a calendar file (RFC 5545) for someone who may see it: the UID and the
    /// SEQUENCE last mailed, so importing it updates the same entry; a cancelled discussion is a
    /// cancellation. Nil when no time is booked. The download is audited.
    public static func calendarFile(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> CalendarInvitation? {
        let d = loaded.discussion
        let base = ctx.publicAddress
        let sequence = try await Outbox.calendarSequence(discussionID: loaded.id, on: ctx.db) ?? 0
        guard let calendar = Outbox.calendar(d, method: d.stage == .cancelled ? .cancel : .request, sequence: sequence,
                                             meetingName: loaded.pack.meetingName,
                                             organizer: try await Outbox.organizer(d, base: base, on: ctx.db),
                                             invitations: loaded.invitations, link: base + SiteURL.discussion(loaded.id).path,
                                             base: base, now: ctx.now) else { return nil }
        try await ctx.db.audit([loaded.audit("view", detail: "calendar file")], by: ctx.actor, now: ctx.now)
        return calendar
    }
}
