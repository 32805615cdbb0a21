import ConveneCore
import ConveneStore
import Foundation

/// The request as it was made (REQ-001-01), with the SARC prompt (TIME-000-02).
public struct RequestViewPage: Encodable, Sendable {
    let reference: String
    let groups: [RequestDocument.Group]
    let backHref: String
    let sarc: SarcPrompt
}

extension RequestViewPage {
    public init(_ loaded: LoadedDiscussion, state: FormState, csrf: String) {
        self.init(reference: loaded.discussion.reference,
                  groups: RequestDocument(loaded.discussion.request, requestedAt: loaded.discussion.requestedAt, pack: loaded.pack).groups,
                  backHref: SiteURL.discussion(loaded.id).path,
                  sarc: SarcPrompt(loaded, state: state, returnTo: "request", csrf: csrf))
    }
}
