import NIOSSL

/// The TLS client settings for a configured trust: TLS 1.2 or newer, the certificate
/// chain checked, and the host name checked against it, unless explicitly told not to.
enum SMTPTLS {
    static func context(for trust: SMTPConfiguration.Trust) throws(DeliveryError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        do {
            switch trust {
            case .systemRoots:
                configuration.trustRoots = .default
            case .certificateFile(let path):
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
            case .insecureNoVerification:
                configuration.certificateVerification = .none
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .permanent(.configuration, "The TLS settings for the mail server cannot be used (\(error)); "
                + "check that ca= names a readable PEM file of certificates.")
        }
    }
}
