import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Supervision

/// `/ready`: 200 while the database answers and a relay is usable, 503 naming what is wrong otherwise.
@Suite struct ReadinessTests {
    @Test func readyWithDatabaseAndARelay() async throws {
        let database = try await TestDatabase.create()
        let pool = database.pool(maxConnections: 2)
        let readiness = Readiness([.database(pool), .relays { [("relay-a", true), ("relay-b", false)] }])
        let server = try await RunningServer.start(readiness: readiness)
        let reply = try await server.get("/ready")
        #expect(reply.status == 200 && reply.body == "ready\n")
        await server.stop()
        await pool.shutdown()
        try? await database.drop()
    }

    @Test func notReadyWhenDatabaseIsDownAndEveryRelayIsOut() async throws {
        // A port nobody listens on: the connection is refused.
        let closed = try SinkPorts.free()
        let pool = MariaDBPool(configuration: try MariaDBConfiguration(url: "mysql://root@127.0.0.1:\(closed)/nothing"),
                               maxConnections: 1)
        let readiness = Readiness([.database(pool, timeout: .seconds(3)), .relays { [("relay-a", true), ("relay-b", true)] }])
        let server = try await RunningServer.start(readiness: readiness)
        let reply = try await server.get("/ready")
        #expect(reply.status == 503)
        let lines = reply.body.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(reply.body)")
        #expect(lines.first?.hasPrefix("database: ") == true)
        #expect(lines.last == "relays: every relay is out (circuit open): relay-a, relay-b")
        // Liveness does not depend on either.
        #expect(try await server.get("/health").status == 200)
        await server.stop()
        await pool.shutdown()
    }

    @Test func aDatabaseThatDoesNotAnswerTimesOut() async throws {
        let started = ContinuousClock.now
        let check = Readiness.Check("slow") {
            await withDeadline(.milliseconds(200)) { try await Task.sleep(for: .seconds(30)) } == nil ? "timed out" : nil
        }
        #expect(await Readiness([check]).problems() == ["slow: timed out"])
        // Well under the 30 s the check would take without its deadline; generous because the whole suite
        // shares CI's two cores.
        #expect(ContinuousClock.now - started < .seconds(25))
    }
}
