import Foundation
import Testing
@testable import Relaying

/// Issue 6's deterministic simulation: 3 relays (latency 5/20/50 ms, usable capacity 200/400/1,000
/// messages/s, 421 beyond it, 64 connections each); relay 3 refuses connections from t = 120 s to 180 s.
/// Set FACTEUR_SIM_TIMELINE=1 to print the per-second timeline (a tuning tool).
@Suite struct SimulationTests {
    static let outage = 120.0..<180.0

    static func run(duration: Double = 270) -> RelaySimulation.Report {
        let simulation = RelaySimulation(relays: [
            SimulatedRelay(name: "relay1", latency: 0.005, capacity: 200),
            SimulatedRelay(name: "relay2", latency: 0.020, capacity: 400),
            SimulatedRelay(name: "relay3", latency: 0.050, capacity: 1_000, outages: [outage]),
        ], duration: duration)
        let report = simulation.run()
        if ProcessInfo.processInfo.environment["FACTEUR_SIM_TIMELINE"] != nil {
            print(report.timeline)
        }
        return report
    }

    @Test func controllersConvergeFailOverAndRecover() throws {
        let report = Self.run()
        var summary: [String] = []
        // Every relay within 20 % of its capacity within 60 s, staying there until the outage.
        for index in 0..<3 {
            let converged = try #require(report.convergence(relay: index, from: 0, until: 120),
                                         "\(report.relays[index]) never stayed within 20 % of its capacity before t = 120 s")
            #expect(converged <= 60, "\(report.relays[index]) took \(converged) s to converge")
            summary.append("\(report.relays[index]) converged at \(converged) s")
        }
        // Relays 1 and 2 stay there through the outage and after it.
        for index in 0..<2 {
            let converged = report.convergence(relay: index, from: 0, until: 270)
            #expect(converged != nil && converged! <= 60, "\(report.relays[index]) left its band at some point: \(String(describing: converged))")
        }
        // During the outage relay 3 delivers nothing and gets only probes; the others keep delivering.
        #expect(report.delivered(relay: 2, in: 121..<180) == 0)
        let probes = report.attempts(relay: 2, in: 125..<180)
        #expect(probes <= 10, "relay3 was tried \(probes) times while down")
        for index in 0..<2 {
            let perSecond = Double(report.delivered(relay: index, in: 125..<180)) / 55
            #expect(abs(perSecond - report.capacities[index]) <= 0.2 * report.capacities[index],
                    "\(report.relays[index]) delivered \(perSecond)/s during the outage")
        }
        // Recovery within 60 s after the outage, staying there.
        let recovered = try #require(report.convergence(relay: 2, from: 180, until: 270), "relay3 never recovered")
        #expect(recovered <= 240, "relay3 recovered at \(recovered) s")
        summary.append("relay3 recovered at \(recovered) s (\(recovered - 180) s after the outage)")
        // Nothing lost, nothing twice.
        #expect(report.duplicates.isEmpty)
        #expect(report.lost == 0)
        // Total goodput before the outage close to the sum of capacities.
        let before = Double((0..<3).reduce(0) { $0 + report.delivered(relay: $1, in: 60..<120) }) / 60
        #expect(before >= 0.8 * 1_600, "delivered \(before)/s with 1,600/s available")
        summary.append(String(format: "delivered %.0f/s from 60 to 120 s", before))
        print("simulation: " + summary.joined(separator: "; "))
    }

    @Test func simulationIsDeterministic() {
        let first = Self.run(duration: 40), second = Self.run(duration: 40)
        #expect(first.deliveredTotal == second.deliveredTotal)
        #expect(first.seconds.map(\.rates) == second.seconds.map(\.rates))
    }
}
