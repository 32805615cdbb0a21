import ConveneCore
import ConveneStore
import FluentKit
import Foundation

extension Operations {
    /// The chair finalises: refused with the full list of what is missing (REC-ALL-01, AGN-*).
    @discardableResult
    public static func finalise(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, expectedVersion: Int) async throws -> Int {
        try StageError.check(.finalise, at: loaded.discussion.stage)
        let now = ctx.now
        return try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
            try StageError.check(.finalise, at: d.stage)
            let snapshot = try await RecordBuilder.snapshot(loaded, discussion: d, on: db)
            let missing = RecordReview.missing(pack: loaded.pack, record: snapshot)
            guard missing.isEmpty else { throw ValidationFailure(errors: missing) }
            let number = try await RecordBuilder.saveVersion(snapshot, kind: .final, discussion: d, by: loaded.user.id, on: db)
            d.stage = .recordFinal
            d.finalisedAt = now
            return (number, [loaded.audit("finalise", detail: "version \(number)")])
        }
    }

    public static func reopen(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, expectedVersion: Int) async throws {
        try StageError.check(.reopen, at: loaded.discussion.stage)
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, _ in
            try StageError.check(.reopen, at: d.stage)
            d.stage = .inMeeting
            d.finalisedAt = nil
            return ((), [loaded.audit("reopen")])
        }
    }

    /// A social care manager authorises before circulation (REC-ALL-01).
    @discardableResult
    public static func authorise(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, expectedVersion: Int) async throws -> Int {
        try StageError.check(.authorise, at: loaded.discussion.stage)
        guard loaded.pack.circulation.authorisedBy.contains(loaded.user.role.rawValue) else {
            throw LifecycleError.notAllowed("Under this procedure the record is authorised by a "
                + loaded.pack.circulation.authorisedBy.joined(separator: " or ") + ".")
        }
        let now = ctx.now
        return try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
            try StageError.check(.authorise, at: d.stage)
            let snapshot = try await RecordBuilder.snapshot(loaded, discussion: d, on: db)
            let number = try await RecordBuilder.saveVersion(snapshot, kind: .authorised, discussion: d, by: loaded.user.id,
                                                             note: "Authorised by \(loaded.user.name)", on: db)
            d.stage = .authorised
            d.authorisedBy = loaded.user.id
            d.authorisedAt = now
            var records = [loaded.audit("authorise", detail: "version \(number)")]
            // REQ-003-01: once the record of the discussion that started an s47 enquiry is
            // authorised, the case goes to the area team where the child lives.
            if let routing = loaded.pack.routing, routing.assignAfterS47 {
                let decisions = try await ChildDecisionRecord.query(on: db).filter(\.$discussion.$id == loaded.id).all().map(\.decision)
                if CaseTimeline.outcome(decisions)?.startsS47 == true,
                   let decision = routing.afterS47(childArea: d.request.childArea ?? "", harmArea: d.request.harmArea ?? "",
                                                   teams: try await routingTeams(organisationID: d.organisationID, on: db)),
                   let teamID = UUID(uuidString: decision.teamID),
                   let record = try await applyTransfer(caseID: loaded.caseRecord.id!, to: teamID, reason: decision.reason, by: nil,
                                                        byName: "Convene (\(routing.rule))", at: now, current: d, on: db) {
                    records.append(record)
                }
            }
            return (number, records)
        }
    }

    /// Circulates the authorised version to the invitees only (REC-001-01, REC-002-01,
    /// REC-ALL-02); people without an account get a fresh personal link.
    @discardableResult
    public static func circulate(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, expectedVersion: Int) async throws -> Int {
        try StageError.check(.circulate, at: loaded.discussion.stage)
        let now = ctx.now
        let base = ctx.publicAddress
        let window = loaded.pack.circulation.correctionsWindowSeconds
        return try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
            try StageError.check(.circulate, at: d.stage)
            let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).filter(\.$invited == true).all()
            for invitation in invitations {
                var link = base + SiteURL.discussionPart(loaded.id, .minutes).path
                if invitation.personID == nil || invitation.accessTokenHash != nil {
                    let token = Tokens.random()
                    invitation.accessTokenHash = Tokens.sha256(token)
                    invitation.accessExpiresAt = now.addingTimeInterval(PersonalLink.validity)
                    if invitation.personID == nil { invitation.accessDeviceHash = nil }
                    link = base + SiteURL.access(token).path
                }
                invitation.circulatedVersion = d.recordVersion
                invitation.circulatedAt = now
                try await invitation.save(on: db)
                try await Outbox.send(Notice.minutes(reference: d.reference, correctionsWithinHours: window.map { $0 / 3600 }, link: link),
                                      to: invitation.name, email: invitation.email, organisationID: d.organisationID,
                                      discussionID: loaded.id, personID: invitation.personID, invitationID: invitation.id,
                                      base: base, on: db)
            }
            d.stage = .circulated
            d.circulatedAt = now
            return (invitations.count, [loaded.audit("circulate", detail: "version \(d.recordVersion) to \(invitations.count) invitees")])
        }
    }

    /// An invitee's correction, within the pack's window after receipt (REC-001-01).
    public static func submitCorrection(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, section: String, text: String) async throws -> UUID {
        guard loaded.allows(.submitCorrection), let own = loaded.ownInvitation,
              Minutes.correctionsOpen(loaded, invitation: own, now: ctx.now) else {
            throw LifecycleError.conflict("Corrections can be sent only by invitees, within the time the procedure allows after receiving the minutes.")
        }
        var checks = FieldChecks()
        checks.limit(section, "section", max: 200)
        checks.text(text, "text", "Enter your correction", max: 8000)
        try checks.finish()
        return try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            try StageError.check(.correct, at: d.stage)
            let correction = Correction(discussionID: loaded.id, recordVersion: d.recordVersion, invitationID: own.id!,
                                        submittedByName: own.name, section: section.trimmed, text: text.trimmed)
            try await correction.create(on: db)
            return (correction.id!, [loaded.audit("correction-submit", "correction", detail: section.trimmed)])
        }
    }

    /// The chair accepts (a new "corrected" version carrying the correction) or rejects, with a
    /// reason; every version is kept (REC-002-02).
    ///
    /// Where the correction names a written part of the record and the chair gives the corrected
    /// text, the new version carries that text in place (issue 14); either way the accepted
    /// correction is listed in the record's corrections.
    public static func decideCorrection(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, correctionID: UUID, accept: Bool?, reason: String,
                                        correctedText: String? = nil) async throws
    {
        guard let found = try await Correction.find(correctionID, on: ctx.db), found.$discussion.id == loaded.id else {
            throw LifecycleError.notFound()
        }
        try StageError.check(.correct, at: loaded.discussion.stage)
        var checks = FieldChecks()
        if accept == nil { checks.fail(FieldPath("decision." + correctionID.slug), "Choose whether to accept or reject the correction") }
        if accept == false && reason.isBlank {
            checks.fail(FieldPath("reason." + correctionID.slug), "Give the reason for rejecting the correction")
        }
        let part = loaded.discussion.content.correctableParts(pack: loaded.pack, children: loaded.childDetails)
            .first { $0.key == found.section }
        let correctedField = FieldPath("corrected." + correctionID.slug)
        if accept == true, part != nil, let correctedText {
            if correctedText.isBlank { checks.fail(correctedField, "Enter the text as the corrected minutes will say it") }
            checks.limit(correctedText, correctedField, max: 100_000)
        }
        try checks.finish()
        let inPlace = accept == true && part != nil && correctedText.map { !$0.isBlank && $0.trimmed != part!.text.trimmed } == true
        let partLabel = part?.label ?? found.section.ifBlank("general")
        let now = ctx.now
        let reason = reason.trimmed
        let base = ctx.publicAddress
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            guard let correction = try await Correction.find(correctionID, on: db), correction.$discussion.id == loaded.id else {
                throw LifecycleError.notFound()
            }
            guard correction.status == .pending else { throw LifecycleError.conflict("This correction has already been decided.") }
            correction.decidedBy = loaded.user.id
            correction.decidedAt = now
            correction.decisionReason = reason
            if accept == true {
                correction.status = .accepted
                if inPlace, let part, let correctedText {
                    _ = d.content.correct(part.key, to: correctedText.trimmed)
                }
                let entry = "\(correction.submittedByName) (\(partLabel)): \(correction.text)"
                    + (inPlace ? " – corrected in place" : "") + (reason.isEmpty ? "" : " – chair: \(reason)")
                let existing = d.content.sections["corrections"] ?? ""
                d.content.sections["corrections"] = existing.isEmpty ? entry : existing + "\n" + entry
                var snapshot = try await RecordBuilder.snapshot(loaded, discussion: d, on: db)
                snapshot.content = d.content
                let note = "Correction from \(correction.submittedByName) to “\(partLabel)” accepted by \(loaded.user.name)"
                    + (inPlace ? "; the text is corrected in place" : "")
                correction.resultVersion = try await RecordBuilder.saveVersion(snapshot, kind: .corrected, discussion: d,
                                                                               by: loaded.user.id, note: note, on: db)
            } else {
                correction.status = .rejected
            }
            try await correction.save(on: db)
            // The decision to its sender; a new version of the minutes to everyone who had them,
            // each by the way the minutes reached them (a personal link where they had one).
            let minutes = SiteURL.discussionPart(loaded.id, .minutes)
            let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).all()
            // One link per invitee (a second personal link would end the first).
            var links: [UUID: String] = [:]
            func link(_ invitation: Invitation) async throws -> String {
                if let known = links[invitation.id!] { return known }
                let made = try await Outbox.inviteeLink(invitation, discussion: d, page: minutes, base: base, now: now, on: db)
                links[invitation.id!] = made
                return made
            }
            if let sender = invitations.first(where: { $0.id == correction.invitationID }) {
                let link = try await link(sender)
                try await Outbox.send(Notice.correctionDecision(reference: d.reference, accepted: accept == true, link: link),
                                      to: sender.name, email: sender.email, organisationID: d.organisationID, discussionID: loaded.id,
                                      personID: sender.personID, invitationID: sender.id, base: base, on: db)
            }
            if accept == true, let version = correction.resultVersion {
                for invitation in invitations where invitation.circulatedAt != nil && !invitation.email.isBlank {
                    let link = try await link(invitation)
                    try await Outbox.send(Notice.correctedMinutes(reference: d.reference, version: version, link: link),
                                          to: invitation.name, email: invitation.email, organisationID: d.organisationID,
                                          discussionID: loaded.id, personID: invitation.personID, invitationID: invitation.id,
                                          base: base, on: db)
                }
            }
            return ((), [loaded.audit(accept == true ? "correction-accept" : "correction-reject", "correction", reason: reason)])
        }
    }
}
