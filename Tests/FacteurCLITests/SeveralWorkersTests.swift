import FacteurTesting
import Foundation
import Testing

/// Several `facteur send` processes on one campaign, as on several hosts: the database is the only
/// coordinator. Nothing reaches the sink twice, everything reaches it, and the work is shared.
@Suite struct SeveralWorkersTests {
    @Test(arguments: [2, 4])
    func workersShareOneCampaignWithoutDuplicates(workers: Int) async throws {
        let installation = try await SampleInstallation.start(connections: 2)
        let processes = try (0..<workers).map { _ in
            try installation.facteur.launch(["--config", installation.config, "send"])
        }
        var sentByWorker: [Int] = []
        for process in processes {
            let result = try await process.waitForExit(timeout: 300)
            #expect(result.status == 0, "\(result.standardError)")
            // "campaign 2: sent; N sent, …" or "nothing to send" for a worker that found it done.
            let sent = result.standardOutput.firstMatch(of: /campaign 2: [^;]+; (\d+) sent/).flatMap { Int($0.1) } ?? 0
            sentByWorker.append(sent)
        }
        print("\(workers) workers sent \(sentByWorker)")
        #expect(sentByWorker.reduce(0, +) == SampleInstallation.validRecipients)
        #expect(sentByWorker.filter { $0 > 0 }.count >= 2, "the work was not shared: \(sentByWorker)")
        _ = try await installation.sink.waitForMessages(SampleInstallation.validRecipients, seconds: 10)
        let delivered = try installation.deliveredRecipients()
        #expect(delivered.count == SampleInstallation.validRecipients)
        #expect(Set(delivered).count == SampleInstallation.validRecipients)
        #expect(try await installation.status() == "sent")
        #expect(try await installation.count("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
        await installation.stop()
    }
}
