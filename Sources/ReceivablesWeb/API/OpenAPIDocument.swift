import Foundation
import Hummingbird

/// The OpenAPI 3.1 document of the JSON API, shipped with the module and served at /api/openapi.yaml.
/// A test checks every documented operation against the running router.
public enum OpenAPIDocument {
    public static func load() throws -> String {
        guard let url = Bundle.module.url(forResource: "Templates/openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw HTTPError(.internalServerError, message: "the OpenAPI document is missing")
        }
        return text
    }
}
