import FacteurConfig
import FacteurTesting
import Foundation
import Hummingbird
import Logging
import Testing
@testable import Supervision

/// Who may read the endpoint: loopback is open unless credentials are set; anywhere else needs them.
@Suite struct AccessControlTests {
    static let logger = Logger(label: "test.http")

    @Test func publicListenerWithoutCredentialsRefusesToStart() throws {
        var configuration = HTTPConfiguration()
        configuration.listen = "0.0.0.0:\(try SinkPorts.free())"
        #expect {
            _ = try SupervisionServer(configuration: configuration, exporter: MetricsExporter(), readiness: Readiness([]),
                                      logger: Self.logger)
        } throws: { error in
            let message = "\(error)"
            return (error as? SupervisionError) == .unprotectedListener(configuration.listen)
                && message.contains("not a loopback address") && message.contains("http.token")
                && message.contains("http.basic_auth")
        }
        // Nothing was bound: the port is still free.
        let port = Int(configuration.listen.split(separator: ":").last!)!
        #expect(!SinkPorts.canConnect(port))
    }

    @Test func badListenAndBadBasicAuthAreRefused() throws {
        var configuration = HTTPConfiguration()
        configuration.listen = "nowhere"
        #expect(throws: SupervisionError.invalidListen("nowhere")) {
            _ = try SupervisionServer(configuration: configuration, exporter: MetricsExporter(), readiness: Readiness([]), logger: Self.logger)
        }
        configuration.listen = "0.0.0.0:8870"
        configuration.basicAuth = "no-colon"
        #expect(throws: SupervisionError.invalidBasicAuth) {
            _ = try SupervisionServer(configuration: configuration, exporter: MetricsExporter(), readiness: Readiness([]), logger: Self.logger)
        }
    }

    @Test func publicListenerWithTokenAnswersOnlyWithIt() async throws {
        let server = try await RunningServer.start(listen: "0.0.0.0", token: "s3cr3t-token",
                                                   routes: { router in router.get("/status") { _, _ in "status page\n" } })
        for path in ["/metrics", "/ready", "/status", "/nowhere"] {
            let anonymous = try await server.get(path)
            #expect(anonymous.status == 401, "\(path) without a token")
            #expect(anonymous.header("WWW-Authenticate") == "Bearer realm=\"facteur\"")
            #expect(try await server.get(path, authorization: "Bearer wrong-token").status == 401, "\(path) with a wrong token")
            #expect(try await server.get(path, authorization: "Bearer s3cr3t-token-longer").status == 401)
        }
        #expect(try await server.get("/metrics", authorization: "Bearer s3cr3t-token").status == 200)
        #expect(try await server.get("/ready", authorization: "Bearer s3cr3t-token").status == 200)
        let mounted = try await server.get("/status", authorization: "Bearer s3cr3t-token")
        #expect(mounted.status == 200 && mounted.body == "status page\n")
        #expect(try await server.get("/nowhere", authorization: "Bearer s3cr3t-token").status == 404)
        // Liveness stays open: probes often cannot send a token, and it tells nothing.
        let health = try await server.get("/health")
        #expect(health.status == 200 && health.body == "ok\n")
        await server.stop()
    }

    @Test func basicAuthIsAcceptedToo() async throws {
        let server = try await RunningServer.start(listen: "0.0.0.0", basicAuth: "prometheus:pa:ss")
        let good = "Basic " + Data("prometheus:pa:ss".utf8).base64EncodedString()
        let bad = "Basic " + Data("prometheus:wrong".utf8).base64EncodedString()
        #expect(try await server.get("/metrics").status == 401)
        #expect(try await server.get("/metrics", authorization: bad).status == 401)
        #expect(try await server.get("/metrics", authorization: "Basic not-base64!").status == 401)
        #expect(try await server.get("/metrics", authorization: good).status == 200)
        #expect(try await server.get("/metrics", authorization: "Bearer prometheus:pa:ss").status == 401)
        await server.stop()
    }

    @Test func loopbackWithoutCredentialsIsOpen() async throws {
        let server = try await RunningServer.start()
        #expect(try await server.get("/metrics").status == 200)
        #expect(try await server.get("/ready").status == 200)
        await server.stop()
    }

    @Test func credentialComparison() {
        let credentials = HTTPCredentials(token: "abc", basic: ("u", "p"))
        #expect(credentials.accepts(authorization: "Bearer abc"))
        #expect(credentials.accepts(authorization: "bearer abc"))
        #expect(!credentials.accepts(authorization: "Bearer ab"))
        #expect(!credentials.accepts(authorization: "Bearer abcd"))
        #expect(!credentials.accepts(authorization: "abc"))
        #expect(!credentials.accepts(authorization: nil))
        #expect(credentials.accepts(authorization: "Basic dTpw"))
        #expect(HTTPCredentials().accepts(authorization: nil))
    }
}
