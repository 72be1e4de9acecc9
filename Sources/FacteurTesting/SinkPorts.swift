#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loopback ports for sinks a test starts. smtp-sink binds with SO_REUSEPORT, so a second sink on
/// a busy port would silently share it: a port is handed out only if a plain bind succeeds.
public enum SinkPorts {
    public enum Error: Swift.Error, CustomStringConvertible {
        case noFreePort
        case notListening(port: Int, seconds: Double)
        public var description: String {
            switch self {
            case .noFreePort: "no free port found on 127.0.0.1 in 20000-59999"
            case .notListening(let port, let seconds): "nothing listened on 127.0.0.1:\(port) within \(seconds) s"
            }
        }
    }

    /// A port on `host` (a loopback address) nobody listens on right now.
    public static func free(host: String = "127.0.0.1") throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20000..<60000)
            if canBind(port, host: host) { return port }
        }
        throw Error.noFreePort
    }

    /// Waits until a TCP connection to 127.0.0.1:port succeeds. The probing runs on a thread of its
    /// own: CPU-heavy tests running in parallel can occupy Swift's cooperative threads for seconds,
    /// and a probe loop starved there would time out although the server started at once.
    public static func waitUntilListening(_ port: Int, host: String = "127.0.0.1", seconds: Double = 60) async throws {
        let listening = try await runBlocking { () -> Bool in
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                if canConnect(port, host: host) { return true }
                usleep(50_000)
            }
            return canConnect(port, host: host)
        }
        guard listening else { throw Error.notListening(port: port, seconds: seconds) }
    }

    static func canBind(_ port: Int, host: String = "127.0.0.1") -> Bool {
        withSocket(port: port, host: host) { fd, address in
            withUnsafePointer(to: address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }
    }

    public static func canConnect(_ port: Int, host: String = "127.0.0.1") -> Bool {
        withSocket(port: port, host: host) { fd, address in
            withUnsafePointer(to: address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }
    }

    private static func withSocket(port: Int, host: String, _ body: (Int32, sockaddr_in) -> Bool) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return body(fd, address)
    }
}
