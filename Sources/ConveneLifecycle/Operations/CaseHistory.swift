import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// What happened on a case, in order: the referral, each discussion's request, SARC contact,
/// meeting and minutes, changes to the s47 outcome and the members' answers (DEC-004-01),
/// moves between teams (REQ-003-01), late reasons (TIME-000-01) and the follow-up events.
public struct CaseHistory: Sendable {
    public struct Entry: Sendable, Hashable {
        public let at: Date
        public let title: String
        public let body: String
    }

    public let entries: [Entry]

    public static func load(_ timeline: CaseTimeline, pack: ProcedurePack, _ ctx: LifecycleContext) async throws -> CaseHistory {
        let caseID = try timeline.caseRecord.requireID()
        var entries = [Entry(at: timeline.caseRecord.concernReceivedAt, title: "Referral or new information received", body: "")]
        for d in timeline.discussions {
            entries.append(Entry(at: d.requestedAt, title: "\(d.reference) requested", body: d.request.rationale))
            if let contact = d.request.sarcContact {
                entries.append(Entry(at: contact.contactedAt, title: "SARC contacted", body: contact.sentence))
            }
            if let held = d.startedAt {
                let outcome = CaseTimeline.outcome(timeline.decisions[d.id!] ?? [])
                entries.append(Entry(at: held, title: "\(d.reference) held",
                                     body: outcome.flatMap { o in pack.outcomes.first { $0.outcome == o }?.label } ?? ""))
            }
            if let at = d.authorisedAt { entries.append(Entry(at: at, title: "\(d.reference) minutes authorised", body: "")) }
            if let at = d.circulatedAt { entries.append(Entry(at: at, title: "\(d.reference) minutes circulated", body: "")) }
        }
        let changes = try await OutcomeChange.query(on: ctx.db).filter(\.$caseID == caseID).all()
        let changeIDs = changes.compactMap(\.id)
        let answers = changeIDs.isEmpty ? [] : try await OutcomeResponse.query(on: ctx.db).filter(\.$changeID ~~ changeIDs).all()
        for change in changes {
            entries.append(Entry(at: change.proposedAt, title: "Change to the s47 outcome proposed – \(change.status.label.lowercased())",
                                 body: "\(change.change) (by \(change.proposedByName): \(change.reason))"))
            for answer in answers where answer.changeID == change.id {
                entries.append(Entry(at: answer.respondedAt,
                                     title: "\(answer.name) \(answer.response == .endorse ? "endorsed" : "objected to") the change",
                                     body: answer.reason))
            }
        }
        let teams = try await Team.query(on: ctx.db).filter(\.$organisation.$id == timeline.caseRecord.$organisation.id).all()
        func teamName(_ id: UUID) -> String { teams.first { $0.id == id }?.name ?? "another team" }
        for move in try await CaseTransfer.query(on: ctx.db).filter(\.$caseID == caseID).all() {
            entries.append(Entry(at: move.at, title: "Case moved from \(teamName(move.fromTeamID)) to \(teamName(move.toTeamID))",
                                 body: "\(move.reason) – \(move.transferredByName)"))
        }
        for note in timeline.notes where note.kind == .lateReason {
            let at = note.createdAt ?? ctx.now
            entries.append(Entry(at: at, title: "Late: \(note.duty.title.lowercased())", body: note.text))
        }
        for e in timeline.events {
            var body = e.details.note
            if let ip = e.details.immediateProtection {
                body = "\(ip.power.label) by \(ip.takenBy) (\(pack.agencyName(ip.agency))). Child now at: \(ip.childLocation). "
                    + "Child seen: \(ip.childSeen ? "yes" : "no"). Legal advice: \(ip.legalAdvice ? "yes" : "no"). " + body
            }
            if let icpc = e.details.icpcRequired { body = (icpc ? "ICPC needed. " : "No ICPC needed. ") + body }
            entries.append(Entry(at: e.at, title: title(e.type), body: body))
        }
        // Stable: entries at the same moment keep the order above.
        return CaseHistory(entries: entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element))
    }

    public static func title(_ type: EventType) -> String {
        switch type {
        case .immediateAction: "Immediate protective action"
        case .ladoReferralMade: "Referral made to the LADO"
        case .s47Completed: "Section 47 enquiry completed"
        case .icpcHeld: "Initial child protection conference held"
        case .assessmentCompleted: "Assessment completed"
        default: type.rawValue
        }
    }
}
