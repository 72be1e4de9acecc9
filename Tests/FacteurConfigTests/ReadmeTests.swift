import Foundation
import Testing
@testable import FacteurConfig

/// The README's configuration reference is the operator's only documentation: every key must be in it.
@Suite struct ReadmeTests {
    @Test func everyKeyIsDocumented() throws {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let paths = ConfigurationKeys.scalars.map(\.path) + ConfigurationKeys.lists.map(\.path)
            + ConfigurationKeys.relay.map { "relays[].\($0.path)" }
            + ConfigurationKeys.mailbox.map { "bounces.mailboxes[].\($0.path)" }
            + ConfigurationKeys.provider.map { "throttle.providers[].\($0.path)" }
            + ConfigurationKeys.providerLists.map { "throttle.providers[].\($0.path)" }
        for path in paths {
            #expect(text.contains("`\(path)`"), "README does not document \(path)")
        }
    }
}
