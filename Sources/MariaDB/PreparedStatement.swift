import CMariaDB

/// A server-side prepared statement, closed when released.
final class PreparedStatement {
    /// Unowned: the connection caches its statements and closes them before its handle.
    unowned let connection: MariaDBConnection
    let sql: String
    let statement: UnsafeMutablePointer<MYSQL_STMT>
    /// Parameter buffers must stay alive until the statement is executed again or closed.
    private var parameterStorage = BindingStorage()

    init(connection: MariaDBConnection, sql: String) throws(MariaDBError) {
        try connection.reopenIfAbandoned()
        guard let statement = mysql_stmt_init(connection.handle) else {
            throw connection.queryError(sql)
        }
        var text = sql
        let status = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { mysql_stmt_prepare(statement, $0.baseAddress, UInt($0.count)) }
        }
        if status != 0 {
            let error = Self.error(statement, connection: connection, sql: sql)
            mysql_stmt_close(statement)
            throw error
        }
        self.connection = connection
        self.sql = sql
        self.statement = statement
    }

    deinit {
        mysql_stmt_close(statement)
    }

    static func error(_ statement: UnsafeMutablePointer<MYSQL_STMT>, connection: MariaDBConnection, sql: String) -> MariaDBError {
        .query(target: connection.target, sql: MariaDBError.truncate(sql), code: mysql_stmt_errno(statement),
               sqlState: String(cString: mysql_stmt_sqlstate(statement)), message: String(cString: mysql_stmt_error(statement)))
    }

    func error() -> MariaDBError {
        Self.error(statement, connection: connection, sql: sql)
    }

    var parameterCount: Int { Int(mysql_stmt_param_count(statement)) }

    func execute(_ values: [MariaDBValue]) throws(MariaDBError) {
        guard values.count == parameterCount else {
            throw .binding(sql: MariaDBError.truncate(sql),
                           reason: "the statement has \(parameterCount) placeholders but \(values.count) values were given")
        }
        parameterStorage = BindingStorage()
        if !values.isEmpty {
            let binds = ParameterBinder.bind(values, into: parameterStorage)
            guard mysql_stmt_bind_param(statement, binds) == 0 else { throw error() }
        }
        let status = mysql_stmt_execute(statement)
        connection.lastUsed = .now
        guard status == 0 else { throw error() }
    }

    func execResult() -> MariaDBExecResult {
        MariaDBExecResult(affectedRows: mysql_stmt_affected_rows(statement), lastInsertID: mysql_stmt_insert_id(statement))
    }

    /// Fetches rows as the server sends them (no client-side copy of the whole result).
    /// When `streaming` and `body` throws, the rest is not drained (see `abandonResult`).
    func readRows(streaming: Bool, _ body: (MariaDBRow) throws -> Void) throws {
        guard let metadata = mysql_stmt_result_metadata(statement) else {
            if mysql_stmt_errno(statement) != 0 { throw error() }
            return // no result set
        }
        defer { mysql_free_result(metadata) }
        let results = ResultBindings(metadata: metadata)
        guard results.bind(to: statement) else { throw error() }
        var finished = false
        defer {
            if !finished && streaming { connection.abandonResult() }
            mysql_stmt_free_result(statement)
        }
        fetching: while true {
            switch mysql_stmt_fetch(statement) {
            case 0:
                break
            case Int32(MYSQL_DATA_TRUNCATED):
                guard results.refetchTruncated(from: statement) else { throw error() }
            case Int32(MYSQL_NO_DATA):
                break fetching
            default:
                finished = true
                throw error()
            }
            try body(results.row())
        }
        finished = true
        connection.lastUsed = .now
    }
}
