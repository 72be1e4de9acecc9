import CMariaDB

extension MariaDBConnection {
    /// Rows sent per execute by `executeBatch`.
    public static let batchChunkSize = 1000

    /// Executes `sql` once per row with array binding (`STMT_ATTR_ARRAY_SIZE`), `batchChunkSize`
    /// rows per round trip. Returns the total of affected rows. Not atomic by itself: wrap it in
    /// `transaction` when all rows must land or none.
    @discardableResult
    public func executeBatch(_ sql: String, rows: [[any MariaDBEncodable]]) throws(MariaDBError) -> UInt64 {
        guard !rows.isEmpty else { return 0 }
        let statement = try PreparedStatement(connection: self, sql: sql)
        let columns = statement.parameterCount
        var total: UInt64 = 0
        var start = 0
        while start < rows.count {
            let end = min(start + Self.batchChunkSize, rows.count)
            var chunk: [[MariaDBValue]] = []
            chunk.reserveCapacity(end - start)
            for index in start..<end {
                guard rows[index].count == columns else {
                    throw .binding(sql: MariaDBError.truncate(sql),
                                   reason: "row \(index) has \(rows[index].count) values; the statement has \(columns) placeholders")
                }
                chunk.append(rows[index].map(\.mariaDBValue))
            }
            total += try statement.executeArray(chunk[...], columns: columns)
            start = end
        }
        return total
    }
}

extension PreparedStatement {
    func executeArray(_ rows: ArraySlice<[MariaDBValue]>, columns: Int) throws(MariaDBError) -> UInt64 {
        let storage = BindingStorage()
        var size = UInt32(rows.count)
        guard mysql_stmt_attr_set(statement, STMT_ATTR_ARRAY_SIZE, &size) == 0 else { throw error() }
        if columns > 0 {
            let binds = BatchBinder.bind(rows, columns: columns, into: storage)
            guard mysql_stmt_bind_param(statement, binds) == 0 else { throw error() }
        }
        let status = withExtendedLifetime(storage) { mysql_stmt_execute(statement) }
        connection.lastUsed = .now
        guard status == 0 else { throw error() }
        return mysql_stmt_affected_rows(statement)
    }
}
