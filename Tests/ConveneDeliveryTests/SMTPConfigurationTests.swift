import ConveneCore
import ConveneDelivery
import Testing

/// The mail server setting as an operator writes it (docs/deploy.md, "Mail").
@Suite("SMTP configuration URLs")
struct SMTPConfigurationTests {
    @Test("smtp:// is submission on 587 with STARTTLS required and the system's roots")
    func defaults() throws {
        let config = try SMTPConfiguration(url: "smtp://smtp.northtown.gov.uk")
        #expect(config.host == "smtp.northtown.gov.uk")
        #expect(config.port == 587)
        #expect(config.security == .startTLSRequired)
        #expect(config.trust == .systemRoots)
        #expect(config.credentials == nil)
        #expect(config.authMethod == .automatic)
    }

    @Test("smtps:// is implicit TLS on 465; user and password are percent-decoded")
    func implicitWithCredentials() throws {
        let config = try SMTPConfiguration(url: "smtps://convene%40northtown.gov.uk:p%40ss%3Aw%2Frd@mail.example.org")
        #expect(config.port == 465)
        #expect(config.security == .implicitTLS)
        #expect(config.credentials == .init(username: "convene@northtown.gov.uk", password: "p@ss:w/rd"))
    }

    @Test("Every setting: starttls, auth, ca, helo, timeouts, insecure")
    func settings() throws {
        let config = try SMTPConfiguration(url: "smtp://relay.internal:25?starttls=off&auth=login&ca=/etc/convene/ca.pem"
            + "&helo=convene.northtown.gov.uk&timeout=20&data_timeout=300")
        #expect(config.port == 25)
        #expect(config.security == .none)
        #expect(config.authMethod == .login)
        #expect(config.trust == .certificateFile("/etc/convene/ca.pem"))
        #expect(config.heloName == "convene.northtown.gov.uk")
        #expect(config.commandTimeout == .seconds(20))
        #expect(config.dataTimeout == .seconds(300))
        #expect(try SMTPConfiguration(url: "smtp://h.example?starttls=optional").security == .startTLSOptional)
        #expect(try SMTPConfiguration(url: "smtp://h.example?insecure=true").trust == .insecureNoVerification)
        #expect(try SMTPConfiguration(url: "smtp://h.example?insecure=false").trust == .systemRoots)
    }

    @Test("Mistakes name the part of the URL that is wrong", arguments: [
        ("relay.internal:25", "scheme"),
        ("http://relay.internal", "scheme"),
        ("smtp://", "host"),
        ("smtp://h.example?starttls=requried", "starttls"),
        ("smtps://h.example?starttls=required", "starttls"),
        ("smtp://h.example?auth=cram-md5", "auth"),
        ("smtp://h.example?timeout=0", "timeout"),
        ("smtp://h.example?tls=on", "tls"),
        ("smtp://h.example?insecure=yes", "insecure"),
    ])
    func mistakes(url: String, field: String) {
        #expect {
            try SMTPConfiguration(url: url)
        } throws: { error in
            (error as? InputError)?.field.description == field
        }
    }
}
