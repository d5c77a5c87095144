import Bookkeeping
import Hummingbird
import Receivables

/// The request context of every route: who is calling, once authentication has said so.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TokenAuthenticator`; nil on the public routes (/health, /metrics).
    public var caller: Caller?
    /// The session's CSRF token, on page requests of a signed-in user.
    public var csrf: String?
    /// Whether the request came over the loopback interface (the set-up page answers only those).
    public let fromLoopback: Bool
    /// The address the connection came from (empty when unknown): sign-in failures are counted by it.
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        caller = nil
        csrf = nil
        let address = source.channel.remoteAddress?.ipAddress ?? ""
        fromLoopback = address.hasPrefix("127.") || address == "::1"
        clientAddress = address
    }

    public var maxUploadSize: Int { Limits.requestBytesMax }

    /// The row id in the path (`:id`), as the kind of id the route names.
    func pathID<Subject>() throws -> Identifier<Subject> {
        Identifier(try parameters.require("id", as: Int64.self))
    }

    /// The caller, or a 401 problem when the request is anonymous.
    func requireCaller() throws -> Caller {
        guard let caller else { throw Problem.unauthorized }
        return caller
    }
}

/// Every bound the server enforces, in one place.
public enum Limits {
    /// The largest request body a JSON route reads.
    public static let requestBytesMax = 1 << 20
    /// Page sizes of list routes.
    public static let pageSizeDefault = 100
    public static let pageSizeMax = 500
}
