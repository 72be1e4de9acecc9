/// Everything that can go wrong talking to MariaDB. Each case names the server (redacted URL),
/// the SQL (truncated) and the server's error number, SQLSTATE and message where there is one.
public enum MariaDBError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidURL(String, reason: String)
    case connect(target: String, code: UInt32, message: String)
    case query(target: String, sql: String, code: UInt32, sqlState: String, message: String)
    /// A statement of a multi-statement script failed; `statement` counts from 1.
    case script(target: String, statement: Int, sql: String, code: UInt32, sqlState: String, message: String)
    case decode(column: String, value: String, expected: String)
    case connectionLost(target: String, message: String)
    case poolClosed
    /// COMMIT or ROLLBACK itself failed (the body's own error is reported as it is).
    case transactionFailed(target: String, statement: String, code: UInt32, message: String)
    /// A parameter or batch could not be bound (wrong count, mixed row widths).
    case binding(sql: String, reason: String)

    /// The server or the network dropped the connection: retrying on a fresh connection may work.
    public var isConnectionLoss: Bool {
        switch self {
        case .connectionLost: return true
        case .connect(_, let code, _): return Self.connectionLossCodes.contains(code)
        default: return serverCode.map(Self.connectionLossCodes.contains) ?? false
        }
    }

    /// The MariaDB error number (e.g. 1045 access denied, 1049 unknown database,
    /// 1146 no such table, 1062 duplicate key; 2xxx are client-side errors).
    public var serverCode: UInt32? {
        switch self {
        case .connect(_, let code, _), .query(_, _, let code, _, _), .script(_, _, _, let code, _, _),
             .transactionFailed(_, _, let code, _):
            return code
        default:
            return nil
        }
    }

    /// The SQLSTATE reported by the server, when there is one.
    public var sqlState: String? {
        switch self {
        case .query(_, _, _, let state, _), .script(_, _, _, _, let state, _): return state
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid MariaDB URL '\(url)': \(reason)"
        case .connect(let target, let code, let message):
            return "cannot connect to \(target): \(message) (error \(code))"
        case .query(let target, let sql, let code, let state, let message):
            return "query failed on \(target): \(message) (error \(code), SQLSTATE \(state)) in: \(sql)"
        case .script(let target, let statement, let sql, let code, let state, let message):
            return "script failed on \(target) at statement \(statement): \(message) "
                + "(error \(code), SQLSTATE \(state)) in: \(sql)"
        case .decode(let column, let value, let expected):
            return "cannot decode column '\(column)' (value \(value)) as \(expected)"
        case .connectionLost(let target, let message):
            return "lost the connection to \(target): \(message)"
        case .poolClosed:
            return "the MariaDB pool has been shut down"
        case .transactionFailed(let target, let statement, let code, let message):
            return "\(statement) failed on \(target): \(message) (error \(code))"
        case .binding(let sql, let reason):
            return "cannot bind parameters: \(reason) in: \(sql)"
        }
    }

    /// Client and server codes meaning the connection is gone: CR_SERVER_GONE_ERROR (2006),
    /// CR_SERVER_LOST (2013), CR_SERVER_LOST_EXTENDED (2055), CR_CONNECTION_ERROR (2002),
    /// CR_CONN_HOST_ERROR (2003), ER_CONNECTION_KILLED (1927), ER_SERVER_SHUTDOWN (1053),
    /// ER_NET_READ_ERROR/… (1158–1161), client interaction timeout (4031).
    static let connectionLossCodes: Set<UInt32> = [2002, 2003, 2006, 2013, 2055, 1927, 1053, 1158, 1159, 1160, 1161, 4031]

    /// SQL shortened for error messages.
    static func truncate(_ sql: String, to limit: Int = 200) -> String {
        let flat = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}
