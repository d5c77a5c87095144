import Bookkeeping
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Receivables

/// Where and how the server listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Mark cookies Secure: set when the server is reached over TLS.
    public var secureCookies: Bool
    /// bcrypt's cost for the passwords the server sets (the first admin's): 12 in use; tests choose a
    /// low one so that no test waits on a busy machine's hashing.
    public var passwordCost: UInt8
    /// A connection that sends nothing for this long — no request, or half a request's header or body —
    /// is closed, so that slow or abandoned connections cannot pile up; a request being answered is not cut.
    public var idleSeconds: Int64
    public static let idleSecondsDefault: Int64 = 30
    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, passwordCost: UInt8 = 12,
                idleSeconds: Int64 = idleSecondsDefault) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.passwordCost = passwordCost
        self.idleSeconds = idleSeconds
    }
}

/// The composition root of the server: every part wired with plain initialisers; the clock and the
/// metrics registry come from outside.
public func buildApplication(
    settings: ServerSettings, storage: any BookStorage, registry: PrometheusCollectorRegistry,
    now: @escaping @Sendable () -> String = Caller.systemTime, today: @escaping @Sendable () -> Day,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }, logger: Logger,
    services: [any Service] = []
) async throws -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    let renderer = try await Renderer.load()
    let sessions = Sessions(storage: storage, clock: clock)
    // Outermost first: metrics and logs see the answer the problem middleware made of any error.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware(renderer: renderer, sessions: sessions, now: now))
    router.get("health") { _, _ in Response.json(.object([("status", .string("ok"))])) }
    router.get("metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                 body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
    let openAPI = try OpenAPIDocument.load()
    router.get("api/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: openAPI)))
    }
    let api = router.group("api/v1")
        .add(middleware: TokenAuthenticator(storage: storage, now: now))
        .add(middleware: IdempotencyMiddleware(storage: storage))
    BookAPI(storage: storage, today: today).register(on: api)
    let pages = Pages(storage: storage, renderer: renderer, sessions: sessions,
                      cookies: SessionCookies(secure: settings.secureCookies), throttle: LoginThrottle(), clock: clock, today: today,
                      passwordCost: settings.passwordCost)
    pages.registerPublic(on: router)
    pages.registerSignedIn(on: router.group().add(middleware: SessionAuthenticator(sessions: sessions, now: now))
        .add(middleware: CSRFMiddleware(.session)))
    return Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(settings.idleSeconds))),
                       configuration: .init(address: .hostname(settings.host, port: settings.port),
                                                             serverName: "arbook"),
                       services: services, logger: logger)
}
