import Testing
import Foundation
import Vapor
import VaporTesting
@testable import ConveneWeb

@Suite("Printed minutes: the running marking (issue 14)")
struct PrintMarkingTests {
    @Test("The marking stylesheet carries OFFICIAL-SENSITIVE, a well-formed reference and page numbers; anything else in the reference is left out")
    func marking() async throws {
        try await TestWorld.run { world in
            let client = try world.app.testing()
            let good = try await client.sendRequest(.GET, "/print/marking.css?reference=SD-2026-00042/1")
            #expect(good.status == .ok)
            #expect(good.headers.contentType?.subType == "css")
            #expect(good.body.string.contains(#"content: "SD-2026-00042/1""#))
            #expect(good.body.string.contains("OFFICIAL-SENSITIVE"))
            #expect(good.body.string.contains(#""Page " counter(page) " of " counter(pages)"#))
            for hostile in [#"SD-2026-00042/1"} body { display: none } x {"#, "SD-2026-00042/1\n", "../../etc/passwd",
                            String(repeating: "A", count: 100_000), "Leila Browser"] {
                var url = URI(path: "/print/marking.css")
                url.query = "reference=" + (hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                let answer = try await client.sendRequest(.GET, url.string)
                #expect(answer.status == .ok)
                #expect(!answer.body.string.contains("display: none") && !answer.body.string.contains("Leila")
                        && !answer.body.string.contains("AAAA") && !answer.body.string.contains("passwd"))
                #expect(answer.body.string.contains(#"@top-right { content: ""; "#))
            }
        }
    }
}
