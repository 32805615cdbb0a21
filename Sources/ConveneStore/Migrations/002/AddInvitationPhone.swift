import FluentKit
import SQLKit

/// Invitations by telephone (seed 001: "this could be by e-mail or telephone"): someone
/// without an account may be invited with a phone number instead of an email address.
struct AddInvitationPhone: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invitation.schema)
            .field("phone", .string, .required, .sql(.default("")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Invitation.schema).deleteField("phone").update()
    }
}
