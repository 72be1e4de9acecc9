import CMariaDB
import Foundation

/// One connection to the server. Not thread-safe and not `Sendable`: use it only from the thread
/// that runs a pool closure (or the thread that created it).
public final class MariaDBConnection {
    public let configuration: MariaDBConfiguration
    /// Replaced by `reconnect()`; never nil after `init` succeeds.
    private(set) var handle: UnsafeMutablePointer<MYSQL>
    /// Set when a streamed result was abandoned and the socket cut (see `abandonResult`).
    private(set) var isAbandoned = false
    /// When the connection last finished talking to the server (for the idle ping in `revive`).
    var lastUsed = ContinuousClock.now
    /// Prepared statements by SQL, so a repeated query costs one round trip instead of three
    /// (prepare, execute, close). Bounded; the oldest entry goes first. Cleared on reconnect.
    private var statements: [String: PreparedStatement] = [:]
    private var statementOrder: [String] = []
    static let statementCacheSize = 64

    var target: String { configuration.redacted }

    /// Opens a connection (blocking: call it off Swift's cooperative pool).
    public init(configuration: MariaDBConfiguration) throws(MariaDBError) {
        self.configuration = configuration
        // `open` closes its own handle on failure, so no property owns a half-open handle here.
        self.handle = try Self.open(configuration)
    }

    deinit {
        // Statements first: closing them needs the handle.
        statements.removeAll()
        mysql_close(handle)
    }

    /// `VERSION()` of the server, e.g. `10.11.6-MariaDB-0+deb12u1`.
    public var serverVersion: String {
        guard let text = mysql_get_server_info(handle) else { return "" }
        return String(cString: text)
    }

    /// The server's id for this session (`CONNECTION_ID()`).
    public var connectionID: UInt64 {
        UInt64(mysql_thread_id(handle))
    }

    // MARK: - Opening and reviving

    static func open(_ configuration: MariaDBConfiguration) throws(MariaDBError) -> UnsafeMutablePointer<MYSQL> {
        MariaDBLibrary.ensureInitialised()
        switch configuration.tls {
        case .off:
            return try connect(configuration, tls: false)
        case .preferred:
            // Connector/C asks for TLS and carries on in plain text when the server offers none.
            do {
                return try connect(configuration, tls: true)
            } catch let error where error.serverCode == 2026 {
                return try connect(configuration, tls: false)
            }
        case .required:
            // The connector does not refuse a server without TLS by itself (measured with 3.3):
            // check that a cipher was negotiated.
            let handle = try connect(configuration, tls: true)
            guard mysql_get_ssl_cipher(handle) != nil else {
                mysql_close(handle)
                throw .connect(target: configuration.redacted, code: 2026,
                               message: "TLS is required (tls=required) but the server did not negotiate it; "
                                   + "enable TLS on the server or use tls=preferred/off")
            }
            return handle
        }
    }

    private static func connect(_ configuration: MariaDBConfiguration, tls: Bool) throws(MariaDBError) -> UnsafeMutablePointer<MYSQL> {
        guard let handle = mysql_init(nil) else {
            throw .connect(target: configuration.redacted, code: 2008, message: "out of memory (mysql_init)")
        }
        var timeout = UInt32(clamping: configuration.connectTimeout)
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        var noLocalInfile: UInt32 = 0
        mysql_options(handle, MYSQL_OPT_LOCAL_INFILE, &noLocalInfile)
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        if tls {
            var enforce: my_bool = 1
            mysql_options(handle, MYSQL_OPT_SSL_ENFORCE, &enforce)
            if let caFile = configuration.caFile {
                mysql_options(handle, MYSQL_OPT_SSL_CA, caFile)
                var verify: my_bool = 1
                mysql_options(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify)
            }
        }
        let connected = mysql_real_connect(
            handle,
            configuration.socket == nil ? configuration.host : nil,
            configuration.user,
            configuration.password,
            configuration.database,
            UInt32(configuration.port),
            configuration.socket,
            0
        )
        guard connected != nil else {
            let code = mysql_errno(handle)
            let message = String(cString: mysql_error(handle))
            mysql_close(handle)
            throw .connect(target: configuration.redacted, code: code, message: message)
        }
        return handle
    }

    /// Replaces the session with a fresh one (same configuration). Session state is lost.
    public func reconnect() throws(MariaDBError) {
        let fresh = try Self.open(configuration)
        statements.removeAll()
        statementOrder.removeAll()
        mysql_close(handle)
        handle = fresh
        isAbandoned = false
        lastUsed = .now
    }

    /// Makes sure the session is usable before handing it out, reconnecting at most once.
    /// An idle connection must have nothing to read: data or EOF waiting on its socket means the
    /// server dropped it (KILL, restart, wait_timeout), which `mysql_ping` then confirms. A
    /// connection idle for a long time is pinged anyway (a silent network drop leaves no EOF).
    /// Returns true when it had to reconnect.
    @discardableResult
    func revive(pingAfter idleLimit: Duration = .seconds(30)) throws(MariaDBError) -> Bool {
        var reconnected = false
        if isAbandoned || !socketLooksIdle() || ContinuousClock.now - lastUsed > idleLimit {
            if isAbandoned || mysql_ping(handle) != 0 {
                try reconnect()
                reconnected = true
            }
        }
        lastUsed = .now
        return reconnected
    }

    private func socketLooksIdle() -> Bool {
        let socket = mysql_get_socket(handle)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: Int32(socket), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// Stops reading a large unbuffered result without draining it: the socket is shut down and the
    /// session reopened on next use. Draining millions of rows would take as long as reading them.
    func abandonResult() {
        _ = mariadb_cancel(handle)
        isAbandoned = true
    }

    func reopenIfAbandoned() throws(MariaDBError) {
        if isAbandoned { try reconnect() }
    }

    /// A prepared statement for `sql`, from the cache when it was prepared before on this session.
    func prepared(_ sql: String) throws(MariaDBError) -> PreparedStatement {
        try reopenIfAbandoned()
        if let statement = statements[sql] { return statement }
        let statement = try PreparedStatement(connection: self, sql: sql)
        if statementOrder.count >= Self.statementCacheSize {
            statements.removeValue(forKey: statementOrder.removeFirst())
        }
        statements[sql] = statement
        statementOrder.append(sql)
        return statement
    }

    // MARK: - Errors

    func queryError(_ sql: String) -> MariaDBError {
        .query(target: target, sql: MariaDBError.truncate(sql), code: mysql_errno(handle),
               sqlState: String(cString: mysql_sqlstate(handle)), message: String(cString: mysql_error(handle)))
    }

    // MARK: - Text protocol

    /// Sends `sql` with the text protocol; the caller reads or frees the result.
    func sendText(_ sql: String) throws(MariaDBError) {
        try reopenIfAbandoned()
        var sql = sql
        let status = sql.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { mysql_real_query(handle, $0.baseAddress, UInt($0.count)) }
        }
        lastUsed = .now
        guard status == 0 else { throw queryError(sql) }
    }

    /// Runs a statement (or query) without parameters and returns its counters.
    @discardableResult
    func executeText(_ sql: String) throws(MariaDBError) -> MariaDBExecResult {
        try sendText(sql)
        if let result = mysql_store_result(handle) {
            mysql_free_result(result)
        } else if mysql_field_count(handle) != 0 {
            throw queryError(sql)
        }
        return MariaDBExecResult(affectedRows: mysql_affected_rows(handle), lastInsertID: mysql_insert_id(handle))
    }

    /// Reads a text-protocol result, row by row; `buffered` stores it client-side first.
    func readText(_ sql: String, buffered: Bool, _ body: (MariaDBRow) throws -> Void) throws {
        try sendText(sql)
        guard let result = buffered ? mysql_store_result(handle) : mysql_use_result(handle) else {
            if mysql_field_count(handle) != 0 { throw queryError(sql) }
            return // a statement without a result set
        }
        var finished = false
        defer {
            if finished || buffered {
                mysql_free_result(result)
            } else {
                abandonResult()
                mysql_free_result(result)
            }
        }
        let count = Int(mysql_num_fields(result))
        let fields = mysql_fetch_fields(result)!
        var names: [String] = []
        var kinds: [ColumnKind] = []
        for index in 0..<count {
            let field = fields[index]
            names.append(String(decoding: UnsafeRawBufferPointer(start: field.name, count: Int(field.name_length)),
                                as: UTF8.self))
            kinds.append(ColumnKind(field: field))
        }
        let columns = MariaDBColumns(names: names)
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)!
            var values: [MariaDBValue] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                if let pointer = row[index] {
                    values.append(kinds[index].decodeText(pointer, length: Int(lengths[index])))
                } else {
                    values.append(.null)
                }
            }
            try body(MariaDBRow(columns: columns, values: values))
        }
        finished = true
        lastUsed = .now
        if mysql_errno(handle) != 0 { throw queryError(sql) }
    }
}

/// What a statement changed.
public struct MariaDBExecResult: Sendable, Equatable {
    public let affectedRows: UInt64
    public let lastInsertID: UInt64

    public init(affectedRows: UInt64, lastInsertID: UInt64) {
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
    }
}
