import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation

// The case timeline: events, notes and duties, API ⇄ domain.

extension Schemas.CaseEvent {
    init(_ e: CaseEvent) throws {
        self.init(id: try e.requireID(), _type: try e.type.term(), at: e.at, icpcRequired: e.details.icpcRequired,
                  note: e.details.note, immediateProtection: try e.details.immediateProtection.map { p in
                      try Schemas.ImmediateProtection(p, at: e.at)
                  })
    }
}

extension Schemas.DutyNote {
    init(_ n: DutyNote) throws {
        self.init(id: try n.requireID(), kind: try n.kind.term(), duty: try n.duty.term(), discussion: n.discussionKey, due: n.due,
                  text: n.text, recordedBy: n.recordedByName)
    }
}

extension Schemas.ImmediateProtection {
    init(_ p: ImmediateProtection, at: Date) throws {
        self.init(power: try p.power.term(), agency: p.agency, takenBy: p.takenBy, at: at, childLocation: p.childLocation,
                  childSeen: p.childSeen, legalAdvice: p.legalAdvice, otherChildren: p.otherChildren,
                  responsibleAuthority: p.responsibleAuthority, responsibilityAcceptedInWriting: p.responsibilityAcceptedInWriting)
    }
}

extension ImmediateProtection {
    init(_ body: Schemas.ImmediateProtection) throws {
        self.init(power: try body.power.term(), agency: body.agency, takenBy: body.takenBy.trimmed,
                  childLocation: body.childLocation.trimmed, childSeen: body.childSeen, legalAdvice: body.legalAdvice,
                  otherChildren: body.otherChildren.trimmed, responsibleAuthority: body.responsibleAuthority?.trimmed ?? "",
                  responsibilityAcceptedInWriting: body.responsibilityAcceptedInWriting ?? false)
    }
}

extension Schemas.CaseView {
    init(_ timeline: CaseTimeline, duties: [DutyAssessment]) throws {
        self.init(id: try timeline.caseRecord.requireID(), reference: timeline.caseRecord.reference,
                  discussions: try timeline.discussions.map(Schemas.DiscussionSummary.init),
                  deadlines: try duties.map(Schemas.Deadline.init), events: try timeline.events.map(Schemas.CaseEvent.init),
                  notes: try timeline.notes.map(Schemas.DutyNote.init))
    }
}
