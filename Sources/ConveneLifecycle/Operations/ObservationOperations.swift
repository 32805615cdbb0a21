import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// OVS-001-01 (Bradford): a service manager observes at least one strategy discussion a
/// month. They record each observation against the discussion (when, and what they noted);
/// the performance view shows each service manager's months with and without one.
extension Operations {
    /// One recorded observation, with who made it.
    public struct ObservationRow: Sendable {
        public let observation: Observation
        public let observerName: String
    }

    /// The longest notes an observation keeps.
    public static let observationNotesLimit = 5_000

    /// Whether the discussion can be observed yet: once its meeting has started.
    public static func observable(_ loaded: LoadedDiscussion) -> Bool {
        [.inMeeting, .recordFinal, .authorised, .circulated].contains(loaded.discussion.stage)
    }

    /// The observations recorded for this discussion, oldest first.
    public static func observations(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> [ObservationRow] {
        let rows = try await Observation.query(on: ctx.db).filter(\.$discussionID == loaded.id).sort(\.$observedAt).all()
        let people = try await Person.query(on: ctx.db).filter(\.$id ~~ Array(Set(rows.map(\.observerID)))).all()
        let names = Dictionary(people.compactMap { p in p.id.map { ($0, p.name) } }, uniquingKeysWith: { a, _ in a })
        return rows.map { ObservationRow(observation: $0, observerName: names[$0.observerID] ?? "Someone no longer listed") }
    }

    /// Records that the person observed the discussion on `day` (Europe/London), with their
    /// notes, in one transaction with its audit entry.
    @discardableResult
    public static func recordObservation(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, day: LocalDate?, notes: String?,
                                         dayChecks: [InputError] = []) async throws -> Observation {
        let user = try ctx.requireUser()
        guard loaded.allows(.observeDiscussion) else { throw LifecycleError.notAllowed(DiscussionAccess.refusal) }
        guard observable(loaded) else {
            throw LifecycleError.conflict("A discussion can be observed once its meeting has started.")
        }
        var checks = FieldChecks()
        checks.merge(dayChecks)
        let today = EuropeLondon.localDate(of: ctx.now)
        let meetingDay = (loaded.discussion.startedAt ?? loaded.discussion.slotStart).map(EuropeLondon.localDate(of:))
        if dayChecks.isEmpty {
            if let day {
                checks.check(day <= today, "observedOn", "The day you observed it must be today or earlier")
                if let meetingDay {
                    checks.check(day >= meetingDay, "observedOn",
                                 "The day you observed it must be on or after the meeting (\(UKDisplay.date(meetingDay)))")
                }
            } else {
                checks.fail("observedOn", "Enter the day you observed the discussion")
            }
        }
        let text = checks.text(notes, "notes", "Enter what you observed", max: observationNotesLimit)
        try checks.finish()
        guard let day, let text else { throw ValidationFailure(errors: checks.errors) }
        // The meeting's own start when observed that day; otherwise midday in London.
        let at = loaded.discussion.startedAt.flatMap { EuropeLondon.localDate(of: $0) == day ? $0 : nil }
            ?? EuropeLondon.instant(on: day, secondsIntoDay: 12 * 3600)
        let observation = Observation(organisationID: user.organisationID, observerID: user.id, discussionID: loaded.id,
                                      observedAt: at, notes: text, createdAt: ctx.now)
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            try await observation.create(on: db)
            return ((), [loaded.audit("create", "observation", detail: "observed on \(day) (OVS-001-01)")])
        }
        return observation
    }

    /// Each service manager of the authority with the last `months` calendar months
    /// (Europe/London, the current one last) and how many observations they recorded in each.
    public struct ObserverMonths: Sendable {
        public let name: String
        public let months: [ObservationMonth]
    }

    public static func observationMonths(_ ctx: LifecycleContext, months: Int = 6) async throws -> [ObserverMonths] {
        let user = try ctx.requireUser()
        guard user.role == .serviceManager, user.may(.viewPerformance) else { throw LifecycleError.notAllowed() }
        let today = EuropeLondon.localDate(of: ctx.now)
        var (y, m) = (today.year, today.month - (months - 1))
        while m < 1 { (y, m) = (y - 1, m + 12) }
        let first = LocalDate(y, m, 1)
        let managers = try await Person.query(on: ctx.db).filter(\.$organisation.$id == user.organisationID)
            .filter(\.$role == .serviceManager).sort(\.$name).all()
        var result: [ObserverMonths] = []
        for manager in managers {
            let counted = try await ObservationQueries.months(observer: try manager.requireID(), organisation: user.organisationID,
                                                              first: first, last: today, on: ctx.db)
            result.append(ObserverMonths(name: manager.name, months: counted))
        }
        return result
    }
}
