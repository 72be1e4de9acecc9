import MariaDB

/// What `/ready` checks: each check returns nil when fine, or the problem in words.
public struct Readiness: Sendable {
    public struct Check: Sendable {
        public let name: String
        public let run: @Sendable () async -> String?

        public init(_ name: String, _ run: @escaping @Sendable () async -> String?) {
            self.name = name
            self.run = run
        }
    }

    public var checks: [Check]

    public init(_ checks: [Check]) {
        self.checks = checks
    }

    /// Problems found, one line each, in the order of `checks` (all run at once).
    public func problems() async -> [String] {
        await withTaskGroup(of: (Int, String?).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await check.run().map { "\(check.name): \($0)" }) }
            }
            var found: [(Int, String)] = []
            for await (index, problem) in group { if let problem { found.append((index, problem)) } }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

extension Readiness.Check {
    /// The database answers `SELECT 1` within `timeout`.
    public static func database(_ pool: MariaDBPool, timeout: Duration = .seconds(2)) -> Self {
        Self("database") {
            switch await withDeadline(timeout, { try await pool.query("SELECT 1") }) {
            case .success?: nil
            case .failure(let error)?: "unreachable (\(error))"
            case nil: "no answer to SELECT 1 within \(timeout)"
            }
        }
    }

    /// At least one relay is usable; `relays` gives each relay's name and whether its circuit is open.
    public static func relays(_ relays: @escaping @Sendable () -> [(name: String, open: Bool)]) -> Self {
        Self("relays") {
            let all = relays()
            if all.isEmpty { return "no relay configured" }
            if all.allSatisfy(\.open) { return "every relay is out (circuit open): \(all.map(\.name).joined(separator: ", "))" }
            return nil
        }
    }
}
