import ArgumentParser
import Foundation
import PHPList
import Worker

/// `facteur preview --campaign ID --subscriber ID|EMAIL`: the RFC 5322 message that subscriber would
/// receive, on standard output. Sends nothing and writes no send status.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Print the exact message a subscriber would receive from a campaign."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "The campaign (phplist_message.id).")
    var campaign: Int

    @Option(help: "The subscriber's id or email address.")
    var subscriber: String

    func run() async throws {
        let runtime = try Runtime.load(options)
        let settings = try runtime.workerSettings()
        let pool = try runtime.makePool()
        let preview = CampaignPreview(database: PHPListDatabase(pool: pool, tables: runtime.tables), settings: settings)
        let who: CampaignPreview.Subscriber = Int(subscriber).map { .id($0) } ?? .email(subscriber)
        do {
            let bytes = try await preview.message(campaign: campaign, subscriber: who)
            await pool.shutdown()
            FileHandle.standardOutput.write(Data(bytes))
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
    }
}
