import Foundation
import Hummingbird
import Logging

/// Mounts the status page (`/`, HTML) and its data (`/status.json`) on a Hummingbird router. Each request
/// reads a fresh snapshot from `source`; a failed read answers 503 with the reason, which the page's
/// script shows as "not refreshed" while it keeps the last figures on screen.
public enum StatusRoutes {
    public static func register<Context: RequestContext>(on router: Router<Context>, source: some StatusSource,
                                                         logger: Logger = Logger(label: "facteur.status")) {
        router.get("/") { _, _ in
            await respond(source: source, logger: logger, contentType: "text/html; charset=utf-8") {
                ByteBuffer(string: StatusPage.render($0))
            }
        }
        router.get("/status.json") { _, _ in
            await respond(source: source, logger: logger, contentType: "application/json") {
                ByteBuffer(bytes: try StatusJSON.encode($0))
            }
        }
    }

    static func respond(source: some StatusSource, logger: Logger, contentType: String,
                        body: (StatusSnapshot) throws -> ByteBuffer) async -> Response {
        do {
            let buffer = try body(try await source.snapshot())
            return Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: buffer))
        } catch {
            logger.warning("status page: cannot read the status", metadata: ["error": "\(error)"])
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "status unavailable: \(error)\n")))
        }
    }
}
