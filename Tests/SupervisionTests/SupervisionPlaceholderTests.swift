import Testing
@testable import Supervision

// Placeholder until the module's real tests land; delete it then.
@Test func supervisionModuleLinks() { #expect(String(describing: Supervision.self) == "Supervision") }
