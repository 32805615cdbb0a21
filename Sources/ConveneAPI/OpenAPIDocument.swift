import Foundation

/// Where the bundled OpenAPI document is, so the server can publish the very file the
/// generator read (`GET /api/v1/openapi.json`). Everything else in this target is generated
/// from `openapi.yaml` at build time; SwiftPM also needs one Swift source here to build the
/// target as Swift.
public enum OpenAPIDocument {
    public static var yamlURL: URL? {
        Bundle.module.url(forResource: "openapi", withExtension: "yaml")
    }
}
