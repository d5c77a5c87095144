import Bookkeeping
import Hummingbird
import Logging
import Prometheus
import Receivables

/// Where and how the server listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The composition root of the server: every part wired with plain initialisers; the clock and the
/// metrics registry come from outside.
public func buildApplication(
    settings: ServerSettings, storage: any BookStorage, registry: PrometheusCollectorRegistry,
    now: @escaping @Sendable () -> String = Caller.systemTime, today: @escaping @Sendable () -> Day, logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    // Outermost first: metrics and logs see the answer the problem middleware made of any error.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ProblemMiddleware())
    router.get("health") { _, _ in Response.json(.object([("status", .string("ok"))])) }
    router.get("metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                 body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
    let api = router.group("api/v1")
        .add(middleware: TokenAuthenticator(storage: storage, now: now))
        .add(middleware: IdempotencyMiddleware(storage: storage))
    BookAPI(storage: storage, today: today).register(on: api)
    return Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port),
                                                             serverName: "arbook"),
                       logger: logger)
}
