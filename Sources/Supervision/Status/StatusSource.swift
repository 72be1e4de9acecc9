/// Where the status page and `/status.json` get their snapshot: the database reader in production, any
/// other source in a test of the HTTP layer alone.
public protocol StatusSource: Sendable {
    func snapshot() async throws -> StatusSnapshot
}

extension StatusReader: StatusSource {
    public func snapshot() async throws -> StatusSnapshot { try await read() }
}
