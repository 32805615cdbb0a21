import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation

// SMART actions and safety plan items (ACT-ALL-01, ACT-ALL-02): API ⇄ domain.

extension Schemas.Action {
    init(_ a: SmartAction, discussionID: UUID) throws {
        self.init(
            id: a.id, discussionId: discussionID, kind: try a.kind.term(), term: try a.term?.term(), what: a.what, owner: a.owner,
            ownerId: a.ownerPersonID, agency: a.agency, due: a.due?.description, purpose: a.purpose, review: a.review,
            childId: a.childID, status: try a.status.term(), statusNote: a.statusNote, completedAt: a.completedAt)
    }

    init(_ row: ActionRecord) throws {
        try self.init(row.smartAction, discussionID: row.$discussion.id)
    }
}

extension SmartAction {
    /// A new action from the API. The child, when named, must be one of the discussion's:
    /// the page offers only those, and Operations does not check it.
    init(_ body: Schemas.NewAction, children: [UUID]) throws {
        var checks = FieldChecks()
        let due = APIDates.parse(body.due, "due", &checks)
        if let child = body.childId, !children.contains(child) {
            checks.fail("childId", "Not a child of this discussion")
        }
        try checks.finish()
        self.init(kind: try body.kind.term(), term: try body.term?.term(), what: body.what, owner: body.owner ?? "",
                  ownerPersonID: body.ownerId, agency: body.agency ?? "", due: due, purpose: body.purpose,
                  review: body.review ?? "", childID: body.childId)
    }
}
