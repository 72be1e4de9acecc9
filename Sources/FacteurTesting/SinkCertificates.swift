import Foundation

/// A throw-away CA and a server certificate it signed for 127.0.0.1 and localhost, made with
/// `openssl` in a temporary directory, so TLS tests run with verification ON.
public struct SinkCertificates: Sendable {
    public enum Error: Swift.Error, CustomStringConvertible {
        case openssl(arguments: [String], status: Int32)
        public var description: String {
            switch self {
            case .openssl(let arguments, let status): "openssl \(arguments.joined(separator: " ")) exited with \(status)"
            }
        }
    }

    public let directory: URL
    /// PEM of the CA: give it to the client as `tls_ca_file`.
    public var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public var certificateFile: String { directory.appendingPathComponent("server.pem").path }
    public var keyFile: String { directory.appendingPathComponent("server.key").path }

    public static func create() throws -> SinkCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-certs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let extensions = directory.appendingPathComponent("server.ext")
        try Data("""
        subjectAltName=IP:127.0.0.1,DNS:localhost
        basicConstraints=CA:FALSE
        keyUsage=critical,digitalSignature
        extendedKeyUsage=serverAuth

        """.utf8).write(to: extensions)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Facteur Test CA",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], in: directory)
        try run(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: directory)
        try run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], in: directory)
        return SinkCertificates(directory: directory)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Error.openssl(arguments: arguments, status: process.terminationStatus) }
    }
}
