import CMariaDB

extension MariaDBConnection {
    /// Runs a query and returns all its rows. With parameters it is a prepared statement (binary
    /// protocol); without, the text protocol. Both decode values by column type, identically.
    public func query(_ sql: String, _ params: [any MariaDBEncodable] = []) throws(MariaDBError) -> [MariaDBRow] {
        var rows: [MariaDBRow] = []
        do {
            if params.isEmpty {
                try readText(sql, buffered: true) { rows.append($0) }
            } else {
                let statement = try prepared(sql)
                try statement.execute(params.map(\.mariaDBValue))
                try statement.readRows(streaming: false) { rows.append($0) }
            }
        } catch let error as MariaDBError {
            throw error
        } catch {
            preconditionFailure("only MariaDBError can be thrown here: \(error)")
        }
        return rows
    }

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL).
    @discardableResult
    public func execute(_ sql: String, _ params: [any MariaDBEncodable] = []) throws(MariaDBError) -> MariaDBExecResult {
        if params.isEmpty {
            return try executeText(sql)
        }
        let statement = try prepared(sql)
        try statement.execute(params.map(\.mariaDBValue))
        return statement.execResult()
    }

    /// Streams rows one at a time without holding the result in memory (unbuffered text result or
    /// unbuffered statement fetch). If `body` throws before the end, the rest of the result is
    /// not drained: the socket is cut and the session reopened on next use.
    public func forEachRow(_ sql: String, _ params: [any MariaDBEncodable] = [], _ body: (MariaDBRow) throws -> Void) throws {
        if params.isEmpty {
            try readText(sql, buffered: false, body)
        } else {
            let statement = try prepared(sql)
            try statement.execute(params.map(\.mariaDBValue))
            try statement.readRows(streaming: true, body)
        }
    }

    /// Runs several `;`-separated statements in one round trip (migrations, SQL dumps).
    /// Multi-statement mode is switched on only for this call. A failure names the statement's
    /// position (counted from 1); the server's message quotes the text near the error.
    public func executeScript(_ sql: String) throws(MariaDBError) {
        mysql_set_server_option(handle, MYSQL_OPTION_MULTI_STATEMENTS_ON)
        defer { mysql_set_server_option(handle, MYSQL_OPTION_MULTI_STATEMENTS_OFF) }
        var statement = 1
        func failure() -> MariaDBError {
            .script(target: target, statement: statement, sql: MariaDBError.truncate(sql), code: mysql_errno(handle),
                    sqlState: String(cString: mysql_sqlstate(handle)), message: String(cString: mysql_error(handle)))
        }
        do {
            try sendText(sql)
        } catch {
            throw failure()
        }
        while true {
            if let result = mysql_store_result(handle) {
                mysql_free_result(result)
            } else if mysql_field_count(handle) != 0 {
                throw failure()
            }
            let next = mysql_next_result(handle)
            if next == -1 { break }
            statement += 1
            if next > 0 { throw failure() }
        }
        lastUsed = .now
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws (the body's
    /// error is rethrown). A failed COMMIT throws `transactionFailed`.
    public func transaction<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        do {
            try executeText("START TRANSACTION")
        } catch {
            throw MariaDBError.transactionFailed(target: target, statement: "START TRANSACTION",
                                                 code: error.serverCode ?? 0, message: error.description)
        }
        let result: T
        do {
            result = try body(self)
        } catch {
            _ = try? executeText("ROLLBACK")
            throw error
        }
        do {
            try executeText("COMMIT")
        } catch {
            _ = try? executeText("ROLLBACK")
            throw MariaDBError.transactionFailed(target: target, statement: "COMMIT",
                                                 code: error.serverCode ?? 0, message: error.description)
        }
        return result
    }
}
