import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// An authority may turn off Convene passwords for its staff once its directory signs them in
/// (issue 15). Partner agencies keep theirs (they are not in the authority's directory), and so
/// do administrators, who must be able to mend the directory's settings when it fails.
public enum StaffPasswords {
    /// The directory `person` must sign in with instead of a password, if any.
    public static func directoryRequired(for person: Person, db: any Database) async throws -> OIDCProvider? {
        guard person.role != .partnerAgency, person.role != .administrator else { return nil }
        return try await OIDCProvider.query(on: db).filter(\.$organisationID == person.$organisation.id)
            .filter(\.$enabled == true).filter(\.$staffPasswords == false).first()
    }

    public static func message(_ provider: OIDCProvider) -> String {
        "Your authority signs its staff in with \(provider.displayName). Choose “Sign in with \(provider.displayName)” below."
    }
}
