import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Writes the reminders and escalations `ReminderPolicy` finds due (issue 11) to the outbox,
/// one row per reminder and person (the row's `dedupe_key`, unique in the database, so a
/// reminder is never written twice, even by two servers at once), as each person chose: at
/// once (`queued`), in the daily digest (`digest`) or not at all (`skipped`, kept so the same
/// reminder is not decided again). Then writes the digests that are due.
///
/// Every row is written with its audit entry in one transaction (`Database.audited`), acting
/// as the context's actor (the system, for the job). Deadlines come only from the timescale
/// engine (`CaseTimeline`).
public struct ReminderScheduler: Sendable {
    public let policy: ReminderPolicy
    public let digests: DigestSchedule

    public init(policy: ReminderPolicy = ReminderPolicy(), digests: DigestSchedule = DigestSchedule()) {
        self.policy = policy
        self.digests = digests
    }

    /// One run at the context's `now`: returns how many outbox rows it wrote.
    @discardableResult
    public func run(_ ctx: LifecycleContext) async throws -> Int {
        var written = 0
        for organisation in try await Organisation.query(on: ctx.db).all() {
            guard let pack = ctx.packs.pack(organisation.packID), let orgID = organisation.id else { continue }
            written += try await remind(ctx, organisationID: orgID, pack: pack)
        }
        written += try await writeDigests(ctx)
        return written
    }

    struct Due {
        let reminder: Reminder
        let teamID: UUID?
        let discussionID: UUID?
        let caseID: UUID?
    }

    func remind(_ ctx: LifecycleContext, organisationID: UUID, pack: ProcedurePack) async throws -> Int {
        let db = ctx.db
        let now = ctx.now
        // Cases with an open duty: each writer keeps its discussions' next deadline (`next_due`).
        let open = try await Discussion.query(on: db).filter(\.$organisationID == organisationID).filter(\.$nextDue != nil).all()
        var due: [Due] = []
        for caseID in Set(open.map(\.$case.id)) {
            guard let timeline = try await CaseTimeline.load(caseID: caseID, on: db) else { continue }
            let discussions = timeline.discussions
            var people: [String: DiscussionPeople] = [:]
            var booked: Set<DutyReference> = []
            let duties = timeline.duties(pack: pack, asOf: now)
            for d in discussions {
                people[CaseTimeline.key(d)] = DiscussionPeople(chair: d.chairID, minuteTaker: d.minuteTakerID)
                if d.slotStart != nil, let convening = timeline.convening(d, in: duties) {
                    booked.insert(DutyReference(convening.duty, discussion: convening.discussion))
                }
            }
            let facts = CaseReminderFacts(caseID: caseID, reference: timeline.caseRecord.reference, duties: duties,
                                          socialWorker: discussions.first?.requestedBy, discussions: people, booked: booked)
            let first = discussions.first?.id
            due += policy.due(facts, now: now).map { Due(reminder: $0, teamID: timeline.caseRecord.$team.id, discussionID: first, caseID: caseID) }
        }
        // Agreed actions (ACT-ALL-03) of the authority's open discussions.
        let actionRows = try await ActionRecord.query(on: db).filter(\.$organisationID == organisationID)
            .filter(\.$status ~~ [.open, .inProgress]).all()
        let discussionIDs = Array(Set(actionRows.map(\.$discussion.id)))
        let actionDiscussions = discussionIDs.isEmpty ? [] : try await Discussion.query(on: db).filter(\.$id ~~ discussionIDs).all()
        let byID = Dictionary(actionDiscussions.compactMap { d in d.id.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        for row in actionRows {
            guard let d = byID[row.$discussion.id] else { continue }
            let facts = ActionReminderFacts(action: row.smartAction, reference: d.reference, chair: d.chairID)
            due += policy.due(facts, now: now).map { Due(reminder: $0, teamID: d.teamID, discussionID: d.id, caseID: d.$case.id) }
        }
        // Disclosure requests waiting for a service manager (REC-ALL-02).
        for request in try await DisclosureRequest.query(on: db).filter(\.$organisationID == organisationID)
            .filter(\.$status == .pending).all() {
            guard let requestedAt = request.createdAt, let id = request.id,
                  let d = try await Discussion.find(request.discussionID, on: db) else { continue }
            let facts = DisclosureReminderFacts(id: id, reference: d.reference, requestedAt: requestedAt, decided: false)
            due += policy.due(facts, now: now).map { Due(reminder: $0, teamID: d.teamID, discussionID: d.id, caseID: d.$case.id) }
        }
        var written = 0
        for item in due {
            for person in try await recipients(item.reminder.audience, organisationID: organisationID, teamID: item.teamID, on: db) {
                if try await write(ctx, item, to: person, organisationID: organisationID) { written += 1 }
            }
        }
        return written
    }

    /// People named, and people of a role in the case's team (or of no team: minute takers and
    /// service managers work for the whole authority).
    func recipients(_ audience: [ReminderAudience], organisationID: UUID, teamID: UUID?, on db: any Database) async throws -> [Person] {
        var found: [UUID: Person] = [:]
        for entry in audience {
            switch entry {
            case let .person(id):
                if let person = try await Person.find(id, on: db), person.disabledAt == nil,
                   person.$organisation.id == organisationID { found[id] = person }
            case let .role(role):
                let people = try await Person.query(on: db).filter(\.$organisation.$id == organisationID).filter(\.$role == role)
                    .filter(\.$disabledAt == nil).all()
                for person in people where person.$team.id == nil || person.$team.id == teamID {
                    if let id = person.id { found[id] = person }
                }
            }
        }
        return found.values.sorted { $0.email < $1.email }
    }

    /// A person's stored choices.
    public static func preferences(of personID: UUID, on db: any Database) async throws -> NotificationPreferences {
        let stored = try await NotificationPreference.query(on: db).filter(\.$person.$id == personID).all()
        return NotificationPreferences(Dictionary(stored.compactMap { p in
            NoticeKind(rawValue: p.kind).flatMap { kind in NoticeDelivery(rawValue: p.delivery).map { (kind, $0) } }
        }, uniquingKeysWith: { a, _ in a }))
    }

    /// One row for one person with its audit entry, unless that reminder was already written for them.
    func write(_ ctx: LifecycleContext, _ item: Due, to person: Person, organisationID: UUID) async throws -> Bool {
        let db = ctx.db
        let now = ctx.now
        let base = ctx.publicAddress
        let personID = try person.requireID()
        let reminder = item.reminder
        let key = reminder.key + "/" + personID.uuidString.lowercased()
        if try await OutboxMessage.query(on: db).filter(\.$dedupeKey == key).count() > 0 { return false }
        let preferences = try await Self.preferences(of: personID, on: db)
        let link = base + (item.discussionID.map { SiteURL.discussion($0).path } ?? SiteURL.myWork.path)
        let notice = Notice.reminder(reminder, link: link)
        let id = UUID()
        let row = OutboxMessage(id: id, organisationID: organisationID, kind: notice.kind.rawValue, toEmail: person.email,
                                toName: person.name, subject: notice.subject, body: notice.text, discussionID: item.discussionID,
                                reference: notice.reference, personID: personID,
                                messageID: Outbox.messageID(id, base: base), dedupeKey: key)
        switch preferences.delivery(for: notice.kind) {
        case .immediately: row.status = .queued
        case .dailyDigest:
            row.status = .digest
            row.digestAt = digests.next(after: now)
        case .off: row.status = .skipped
        }
        let record = AuditRecord("reminder", "outbox", id: id, caseID: item.caseID,
                                 detail: "\(notice.kind.rawValue) to \(person.email): \(row.status.rawValue), \(reminder.key)")
        do {
            try await db.audited(by: ctx.actor, now: now) { tx in
                try await row.create(on: tx)
                return ((), [record])
            }
        } catch {
            // Another server wrote the same reminder first (the unique key): nothing to do.
            if try await OutboxMessage.query(on: db).filter(\.$dedupeKey == key).count() > 0 { return false }
            throw error
        }
        return true
    }

    /// One digest per person whose digest time has come, carrying what waited for it; the
    /// digest, the rows it carries and its audit entry in one transaction.
    func writeDigests(_ ctx: LifecycleContext) async throws -> Int {
        let db = ctx.db
        let now = ctx.now
        let base = ctx.publicAddress
        let waiting = try await OutboxMessage.query(on: db).filter(\.$status == .digest).filter(\.$digestAt <= now)
            .sort(\.$createdAt).all()
        var written = 0
        for (personID, rows) in Dictionary(grouping: waiting, by: { $0.personID }) {
            guard let personID, let first = rows.first else { continue }
            let ids = rows.compactMap(\.id)
            try await db.audited(by: ctx.actor, now: now) { tx in
                // Only the rows still waiting (another server may have carried them already).
                let still = try await OutboxMessage.query(on: tx).filter(\.$id ~~ ids).filter(\.$status == .digest).sort(\.$createdAt).all()
                guard !still.isEmpty else { return ((), []) }
                let notices = still.map { Notice(kind: NoticeKind(rawValue: $0.kind) ?? .digest, subject: $0.subject, text: $0.body,
                                                 reference: $0.reference ?? "") }
                let digest = Notice.digest(notices, link: base + SiteURL.myWork.path)
                let id = UUID()
                try await OutboxMessage(id: id, organisationID: first.organisationID, kind: NoticeKind.digest.rawValue,
                                        toEmail: first.toEmail, toName: first.toName, subject: digest.subject, body: digest.text,
                                        discussionID: nil, reference: digest.reference.isEmpty ? nil : digest.reference,
                                        personID: personID, messageID: Outbox.messageID(id, base: base)).create(on: tx)
                for row in still {
                    row.status = .digested
                    try await row.save(on: tx)
                }
                return ((), [AuditRecord("digest", "outbox", id: id, detail: "\(still.count) notices to \(first.toEmail)")])
            }
            written += 1
        }
        return written
    }
}
