import Bookkeeping
import HTTPTypes
import Hummingbird

/// One route of a group of routes served by `Owner` (the API, the pages): its method and path, the
/// permission a caller needs, and the owner's method that answers it.
///
/// The routes of each owner are one static table, so that the permissions can be read (and tested)
/// without a server. The permission is checked once, at the route, before the handler runs: a
/// caller without it is refused before its body is read. The use case the handler calls checks it
/// again, with the finer rules a route cannot know (which customers a collector sees, a dispute
/// resolved by a credit note).
struct Route<Owner: Sendable>: Sendable {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    let method: HTTPRequest.Method
    /// The path as the OpenAPI document writes it, relative to the group: `customers/{code}`.
    let path: String
    let permission: Permission
    let handler: @Sendable (Owner) -> Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission, _ handler: @escaping @Sendable (Owner) -> Handler) {
        self.method = method
        self.path = path
        self.permission = permission
        self.handler = handler
    }

    /// Adds each route of `owner` to `group`, behind its permission.
    static func register(_ routes: [Route], of owner: Owner, on group: RouterGroup<AppRequestContext>) {
        for route in routes {
            let path = RouterPath(route.path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))
            let handler = route.handler(owner)
            group.on(path, method: route.method) { request, context in
                try context.requireCaller().principal.require(route.permission)
                return try await handler(request, context)
            }
        }
    }
}
