import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import NIOHTTP1
import SQLKit
import Testing
import VaporTesting

/// Requests and responses (docs: /work/shared/security.md): CSRF, no state change on GET,
/// security headers, no personal data in URLs, refusals audited, bad input never a 500,
/// and the audit trail's hash chain.
@Suite("Security: requests and responses")
struct RequestSecurityTests {
    // MARK: CSRF (ASVS-5.0-3.5.1)

    @Test("ASVS-5.0-3.5.1: a state-changing form without its token, with a wrong token, or another session's token is refused (403), changing nothing")
    func csrfTokens() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            let other = try await world.browser(.serviceManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let decide: [(String, String)] = [("convene", "yes"), ("version", try await world.version(id))]
            let before = try await world.storeState()
            let missing = try await manager.post("/discussions/\(id.slug)/decision", decide, csrf: false)
            let wrong = try await manager.post("/discussions/\(id.slug)/decision", decide + [("_csrf", "not-the-token")], csrf: false)
            let stolen = try await manager.post("/discussions/\(id.slug)/decision", decide + [("_csrf", other.csrf)], csrf: false)
            let header = try await manager.post("/discussions/\(id.slug)/decision", decide, csrf: false,
                                                headers: ["X-CSRF-Token": "not-the-token"])
            for (name, response) in [("missing", missing), ("wrong", wrong), ("another session's", stolen), ("wrong header", header)] {
                #expect(response.status == .forbidden, "\(name) token: \(response.summary)")
            }
            #expect(try await world.storeState() == before)
            #expect(try await world.discussion(id).stage == .requested)
            // The right token in the header (for scripts) is accepted.
            let scripted = try await manager.post("/discussions/\(id.slug)/decision", decide, csrf: false, headers: ["X-CSRF-Token": manager.csrf])
            #expect(scripted.status == .seeOther, "\(scripted.summary)")
        }
    }

    @Test("ASVS-5.0-3.5.1: a form posted from another site's page (foreign Origin) is refused even with the token; this site's Origin is accepted")
    func csrfOrigin() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let decide: [(String, String)] = [("convene", "yes"), ("version", try await world.version(id))]
            let before = try await world.storeState()
            let host: HTTPHeaders = ["Host": "convene.northtown.example"]
            for origin in ["https://evil.example", "https://convene.northtown.example.evil.example", "http://convene.northtown.example:8443"] {
                manager.origin = origin
                let response = try await manager.post("/discussions/\(id.slug)/decision", decide, headers: host)
                #expect(response.status == .forbidden, "Origin \(origin): \(response.summary)")
            }
            #expect(try await world.storeState() == before)
            manager.origin = "https://convene.northtown.example"
            #expect(try await manager.post("/discussions/\(id.slug)/decision", decide, headers: host).status == .seeOther)
        }
    }

    @Test("ASVS-5.0-3.5.1: the sign-in form needs its token too (no login CSRF)")
    func signInCSRF() async throws {
        try await TestWorld.run { world in
            let browser = world.anonymous()
            try await browser.get("/sign-in")
            let response = try await browser.post("/sign-in", [("email", Who.socialWorker.email), ("password", TestWorld.password)], csrf: false)
            #expect(response.status == .forbidden)
            #expect(browser.cookies["convene-session"] == nil)
        }
    }

    // MARK: No state change on GET (ASVS-5.0-3.5.3)

    @Test("ASVS-5.0-3.5.3: opening every page of a discussion at every stage changes nothing but the read audit; GET /sign-out does not sign out")
    func getChangesNothing() async throws {
        try await TestWorld.run { world in
            let requested = try await world.makeDiscussion()
            let meeting = try await world.makeDiscussion(at: .inMeeting, childName: "Ben Okoro")
            let circulated = try await world.makeDiscussion(at: .circulated, childName: "Cara Doyle")
            let manager = try await world.browser(.teamManager)
            var paths = ["/my-work", "/team", "/discussions/new", "/account"]
            for id in [requested, meeting, circulated] {
                let d = try await world.discussion(id)
                let child = try await world.firstChild(id)
                for part in ["", "/request", "/decision", "/booking", "/invitations", "/attendance", "/agenda", "/checklist", "/actions",
                             "/record", "/versions", "/versions/1", "/minutes", "/corrections", "/decisions/\(child.id!.slug)"] {
                    paths.append("/discussions/\(id.slug)" + part)
                }
                paths += ["/cases/\(d.$case.id.slug)", "/cases/\(d.$case.id.slug)/immediate-protection"]
            }
            let before = try await world.storeState()
            for path in paths {
                let response = try await manager.get(path)
                #expect(response.status.code < 500, "\(path): \(response.summary)")
            }
            #expect(try await manager.get("/sign-out").status == .notFound)
            #expect(try await manager.get("/my-work").status == .ok, "GET /sign-out signed the person out")
            let after = try await world.storeState()
            #expect(after == before, "a GET changed: \(before.changes(to: after))")
        }
    }

    // MARK: Headers (ASVS-5.0-3.4.x, 14.3.2)

    @Test("ASVS-5.0-3.4.3, 3.4.4, 3.4.6, 14.3.2: every page, redirect and error carries CSP with frame-ancestors, nosniff, X-Frame-Options and no-store")
    func securityHeaders() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .inMeeting)
            let d = try await world.discussion(id)
            let manager = try await world.browser(.teamManager)
            let anonymous = world.anonymous()
            var responses: [(String, TestingHTTPResponse)] = [
                ("sign-in", try await anonymous.get("/sign-in")),
                ("redirect to sign-in", try await anonymous.get("/discussions/\(id.slug)")),
                ("not found", try await manager.get("/discussions/\(UUID().uuidString.lowercased())")),
                ("forbidden", try await (try await world.browser(.police)).get("/discussions/\(id.slug)/record")),
            ]
            for path in ["/my-work", "/team", "/discussions/\(id.slug)", "/discussions/\(id.slug)/request",
                         "/discussions/\(id.slug)/record", "/discussions/\(id.slug)/agenda", "/cases/\(d.$case.id.slug)"] {
                responses.append((path, try await manager.get(path)))
            }
            responses.append(("POST redirect", try await manager.post("/discussions/\(id.slug)/agenda", [
                ("sections.reason", "Notes"), ("version", try await world.version(id)),
            ])))
            for (name, response) in responses {
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
                        "\(name): CSP \(csp)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(name)")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(name)")
                #expect(response.headers.first(name: .cacheControl)?.contains("no-store") == true, "\(name): \(response.headers[.cacheControl])")
                #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(name)")
                #expect(response.headers.first(name: .server) == nil, "\(name) names the server")
            }
            // Plain HTTP on a development machine: no HSTS (it would be ignored); HTTPS: HSTS.
            #expect(responses[0].1.headers.first(name: "Strict-Transport-Security") == nil)
            world.setOptions { $0.cookieSecurity = .always }
            #expect(try await anonymous.get("/sign-in").headers.first(name: "Strict-Transport-Security")?.contains("max-age=31536000") == true)
        }
    }

    @Test("ASVS-5.0-3.4.x: static assets are cacheable but still nosniff")
    func assetHeaders() async throws {
        try await TestWorld.run { world in
            let css = try await world.anonymous().get("/assets/convene.css")
            #expect(css.status == .ok)
            #expect(css.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(css.headers.contentType?.subType == "css")
        }
    }

    // MARK: No personal data in URLs (ASVS-5.0-14.2.1)

    @Test("ASVS-5.0-14.2.1: through the whole journey no child's or parent's name or date of birth appears in any URL, redirect or message link")
    func noPersonalDataInURLs() async throws {
        try await TestWorld.run { world in
            let start = world.redirectsSeen.count
            let fields = world.requestFields(childName: "Zelda Quixote").setting("parentsCarers[0].name", "Morwenna Pellow")
                .setting(date: "children[0].dateOfBirth", LocalDate(2019, 3, 14))
            let requester = try await world.browser(.socialWorker)
            try await requester.get("/discussions/new")
            let created = try await requester.post("/discussions", fields)
            var urls = [created.location]
            let id = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: created.location).flatMap { UUID(uuidString: $0) })
            try await world.advance(id, to: .circulated, cast: .ownTeam)
            urls += world.redirectsSeen.dropFirst(start)

            // Crawl every page each role can reach from My work, collecting links, form actions and redirects.
            for who in [Who.socialWorker, .teamManager, .minuteTaker, .police, .serviceManager] {
                let browser = try await world.browser(who)
                var queue = ["/my-work", "/discussions/\(id.slug)"]
                var seen = Set<String>()
                while let path = queue.popLast(), seen.count < 80 {
                    guard seen.insert(path).inserted else { continue }
                    let response = try await browser.get(path)
                    urls.append(response.location)
                    for url in response.urls {
                        urls.append(url)
                        let local = String(url.split(separator: "#").first ?? "")
                        if local.hasPrefix("/") && !local.hasPrefix("/assets") && !local.contains("/export") && !local.hasPrefix("/sign") {
                            queue.append(local)
                        }
                    }
                }
            }
            urls += try await OutboxMessage.query(on: world.app.db).all().flatMap { Browser.allMatches(#"(https?://\S+)"#, in: $0.body) }
            let personal = ["zelda", "quixote", "morwenna", "pellow", "2019-03-14", "14-03-2019", "14/03/2019", "14%2f03", "20190314"]
            let leaks = urls.filter { url in
                let lowered = (url.removingPercentEncoding ?? url).lowercased() + " " + url.lowercased()
                return personal.contains { lowered.contains($0) }
            }
            #expect(leaks.isEmpty, "personal data in URLs: \(Set(leaks))")
            #expect(urls.count > 50, "the crawl found too little to be meaningful: \(urls.count)")
        }
    }

    // MARK: Refusals audited (ASVS-5.0-16.3.2)

    @Test("ASVS-5.0-16.3.2: every refused request (403 or 404 for an object that exists) leaves an access-denied entry naming the person")
    func refusalsAudited() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .recordFinal)
            let d = try await world.discussion(id)
            let action = try #require(try await ActionRecord.query(on: world.app.db).filter(\.$discussion.$id == id).first())
            let caseID = try await world.discussion(id).$case.id
            let duty = "strategy-discussion|d1"
            let refusals: [(Who, String, [(String, String)]?)] = [
                (.otherTeamSocialWorker, "/discussions/\(id.slug)", nil),
                (.foreignManager, "/discussions/\(id.slug)/record", nil),
                (.police, "/discussions/\(id.slug)/record", nil),
                (.socialWorker, "/discussions/\(id.slug)/authorise", [("version", String(d.lockVersion))]),
                (.education, "/actions/\(action.id!.slug)", nil),
                (.police, "/actions/\(action.id!.slug)", [("status", "done")]),
                (.socialWorker, "/cases/\(caseID.slug)/notes", [("duty", duty), ("kind", "override"), ("text", "Later"),
                                                               ("due.day", "1"), ("due.month", "12"), ("due.year", "2026"), ("due.time", "10:00")]),
                (.socialWorker, "/admin", nil),
                (.teamManager, "/audit", nil),
                (.police, "/team", nil),
                (.police, "/discussions/new", nil),
                (.socialWorker, "/break-glass", [("reference", d.reference), ("reason", "Curious")]),
                (.administrator, "/discussions/\(id.slug)", nil),
            ]
            var unaudited: [String] = []
            for (who, path, form) in refusals {
                let browser = try await world.browser(who)
                if form != nil { try await browser.get("/my-work") }
                let before = try await world.audit("access-denied").count
                let response: TestingHTTPResponse
                if let form { response = try await browser.post(path, form) } else { response = try await browser.get(path) }
                #expect(response.status == .forbidden || response.status == .notFound, "\(who) \(path): \(response.summary)")
                let entries = try await world.audit("access-denied")
                if entries.count <= before || entries.last?.actorID != world.people[who] {
                    unaudited.append("\(form == nil ? "GET" : "POST") \(path) as \(who) (\(response.status.code))")
                }
            }
            #expect(unaudited.isEmpty, "refusals not audited:\n\(unaudited.joined(separator: "\n"))")
        }
    }

    // MARK: Bad input (ASVS-5.0-16.5.1)

    static let internals = ["Fatal error", ".swift:", "DecodingError", "Abort(", "SQLITE", "PSQLError", "sqlite", "Stack", "backtrace",
                            "FluentKit", "NIOCore", "Error 500"]

    func expectClean(_ response: TestingHTTPResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status.code < 500, "\(what): \(response.summary)", sourceLocation: sourceLocation)
        for marker in Self.internals where response.text.contains(marker) {
            Issue.record("\(what): the response shows “\(marker)”", sourceLocation: sourceLocation)
        }
    }

    @Test("ASVS-5.0-16.5.1: junk form bodies never give a 500 or internal detail")
    func junkBodies() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let caseID = try await world.discussion(id).$case.id
            let manager = try await world.browser(.teamManager)
            let child = try await world.firstChild(id)
            let targets = ["/discussions", "/discussions/\(id.slug)/booking", "/discussions/\(id.slug)/attendance",
                           "/discussions/\(id.slug)/agenda", "/discussions/\(id.slug)/checklist", "/discussions/\(id.slug)/actions",
                           "/discussions/\(id.slug)/decisions/\(child.id!.slug)", "/discussions/\(id.slug)/invitations",
                           "/cases/\(caseID.slug)/events", "/cases/\(caseID.slug)/notes", "/cases/\(caseID.slug)/immediate-protection",
                           "/account/password", "/disclosures", "/sign-in"]
            let junk = [
                "%", "%zz=%zz", "a=%FF%FE%00", "=&=&&==", "version=99999999999999999999999", "version=-1&slot=not-a-date",
                "children[99999999999999999999].name=x", "rows.children=-5", "startedAt.day=31&startedAt.month=2&startedAt.year=2026&startedAt.time=25:61",
                "due.day=0&due.month=13&due.year=99999", "custom.year=-2026&slot=custom", String(repeating: "a=b&", count: 5000),
                "mode.\(UUID().uuidString.lowercased())=teleport", "sections.__proto__=x&sections.../../etc=y",
                "checklist.medical=maybe", "person=\(UUID().uuidString)&name=%00%01%02", "text=" + String(repeating: "\u{202E}", count: 100),
            ]
            for target in targets {
                try await manager.get("/my-work")
                for body in junk {
                    let response = try await manager.postRaw(target, body: body + "&_csrf=" + manager.csrf)
                    expectClean(response, "POST \(target) \(body.prefix(40))")
                }
                let json = try await manager.postRaw(target, body: #"{"a":[1,2,{"#, contentType: .json, headers: ["X-CSRF-Token": manager.csrf])
                expectClean(json, "JSON to \(target)")
                #expect(json.status.code == 415 || json.status.code == 400 || json.status.code == 303, "JSON to \(target): \(json.status)")
            }
        }
    }

    @Test("ASVS-5.0-16.5.1: ids that are not UUIDs, or name nothing, answer 404 without internal detail")
    func badIDs() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let manager = try await world.browser(.teamManager)
            let random = UUID().uuidString.lowercased()
            for path in ["/discussions/not-a-uuid", "/discussions/\(random)", "/discussions/\(random)/record",
                         "/discussions/\(id.slug)/decisions/zzz", "/discussions/\(id.slug)/decisions/\(random)",
                         "/discussions/\(id.slug)/versions/abc", "/discussions/\(id.slug)/versions/99999999999999999999",
                         "/discussions/\(id.slug)/versions/-1", "/cases/123", "/cases/\(random)", "/actions/xyz", "/actions/\(random)",
                         "/access/short", "/access/" + String(repeating: "A", count: 200), "/discussions/%00", "/discussions/..%2f..%2fetc"] {
                let response = try await manager.get(path)
                #expect(response.status == .notFound, "\(path): \(response.summary)")
                expectClean(response, path)
            }
            let before = try await world.storeState()
            for path in ["/discussions/\(random)/decision", "/discussions/\(id.slug)/corrections/\(random)",
                         "/discussions/\(id.slug)/invitations/nope/remove", "/actions/\(random)"] {
                let response = try await manager.post(path, [("status", "done")])
                #expect(response.status == .notFound || response.status == .conflict, "\(path): \(response.summary)")
                expectClean(response, path)
            }
            #expect(try await world.storeState() == before)
        }
    }

    @Test("ASVS-5.0-16.5.1: a body over 512 kB is refused with 413 by the real server, not processed")
    func oversizedBody() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/agenda")
            let before = try await world.storeState()
            let huge = manager.formBody([("sections.reason", String(repeating: "x", count: 600_000)), ("version", try await world.version(id))])
            let viaHeader = try await manager.live(.POST, "/discussions/\(id.slug)/agenda", body: huge, headers: ["X-CSRF-Token": manager.csrf])
            #expect(viaHeader.status == .payloadTooLarge, "\(viaHeader.summary)")
            let viaForm = try await manager.live(.POST, "/discussions/\(id.slug)/agenda", body: huge)
            #expect(viaForm.status == .payloadTooLarge, "a browser's oversized form: \(viaForm.summary)")
            expectClean(viaForm, "oversized form")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("ASVS-5.0-3.5.1: a real browser's long form (agenda notes of 40 kB, sent over several network reads) passes the CSRF check")
    func longFormThroughRealServer() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/agenda")
            let short = manager.formBody([("sections.reason", "Short note"), ("version", try await world.version(id))])
            // The real server's client follows the redirect: a saved form ends on the agenda page
            // with the success banner, a refused one on an error page or the form with errors.
            func saved(_ r: TestingHTTPResponse) -> Bool {
                r.status == .seeOther || (r.status == .ok && !r.text.contains("Error:") && r.text.contains("Saved"))
            }
            let small = try await manager.live(.POST, "/discussions/\(id.slug)/agenda", body: short)
            #expect(saved(small), "a short form through the real server: \(small.summary)")
            let notes = String(repeating: "The child said she was frightened of going home. ", count: 800)
            let long = manager.formBody([("sections.reason", notes), ("version", try await world.version(id))])
            let response = try await manager.live(.POST, "/discussions/\(id.slug)/agenda", body: long)
            #expect(saved(response), "a 40 kB form was refused: \(response.summary)")
            #expect(try await world.discussion(id).content.sections["reason"] == notes.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("ASVS-5.0-16.5.1: a forged row count does not make the request page render thousands of rows")
    func forgedRowCount() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let response = try await browser.post("/discussions", world.requestFields().removing("rationale").setting("rows.children", "2000"))
            expectClean(response, "rows.children=2000")
            let rows = Browser.allMatches(#"name="(children\[\d+\]\.name)""#, in: response.text).count
            #expect(rows <= 50, "\(rows) child rows rendered for a forged row count")
            #expect(try await world.storeState() == before)
        }
    }

    // MARK: The audit trail (ASVS-5.0-16.4.2)

    @Test("ASVS-5.0-16.4.2: AuditTrail.verify finds a row altered in the database, naming its sequence number")
    func auditTamperDetected() async throws {
        try await TestWorld.run { world in
            _ = try await world.makeDiscussion(at: .booked)
            #expect(try await AuditTrail.verify(on: world.app.db).ok)
            let entries = try await AuditEntry.query(on: world.app.db).sort(\.$seq).all()
            let target = try #require(entries.first { $0.action == "decide" })
            try await world.sql.raw("UPDATE audit_entries SET reason = \(bind: "nothing to see") WHERE seq = \(bind: target.seq)").run()
            let broken = try await AuditTrail.verify(on: world.app.db)
            #expect(!broken.ok)
            #expect(broken.brokenAt == target.seq)
            #expect(broken.problem?.contains("altered") == true, "\(broken.problem ?? "")")
        }
    }

    @Test("ASVS-5.0-16.4.2: AuditTrail.verify finds a deleted row and a removed tail")
    func auditDeletionDetected() async throws {
        try await TestWorld.run { world in
            _ = try await world.makeDiscussion(at: .awaitingBooking)
            let entries = try await AuditEntry.query(on: world.app.db).sort(\.$seq).all()
            let middle = entries[entries.count / 2].seq
            try await world.sql.raw("DELETE FROM audit_entries WHERE seq = \(bind: middle)").run()
            let gap = try await AuditTrail.verify(on: world.app.db)
            #expect(!gap.ok && gap.brokenAt == middle, "\(gap)")

            try await world.sql.raw("DELETE FROM audit_entries WHERE seq >= \(bind: middle)").run()
            let tail = try await AuditTrail.verify(on: world.app.db)
            #expect(!tail.ok, "removing the newest entries went unnoticed")
        }
    }
}
