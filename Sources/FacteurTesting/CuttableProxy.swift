import Foundation

/// A TCP proxy on its own 127.0.0.1 port in front of a real server (MariaDB here), which a test can cut:
/// `cut()` closes every proxied connection and stops listening, as a restarting database or a lost
/// network does to its clients; `restore()` listens again. Python (stdlib only), controlled through a
/// flag file so inherited signal masks do not matter.
public final class CuttableProxy: @unchecked Sendable {
    public let port: Int
    private let directory: URL
    private let process: Process

    public static func start(to targetPort: Int) async throws -> CuttableProxy {
        let port = try SinkPorts.free()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-proxy-\(port)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("proxy.py")
        try Data(Self.source.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SinkRequirement.python)
        process.arguments = [script.path, String(port), String(targetPort), directory.appendingPathComponent("down").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let proxy = CuttableProxy(port: port, directory: directory, process: process)
        try await SinkPorts.waitUntilListening(port)
        return proxy
    }

    private init(port: Int, directory: URL, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    deinit { stop() }

    public func cut() {
        FileManager.default.createFile(atPath: directory.appendingPathComponent("down").path, contents: nil)
    }

    public func restore() {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("down"))
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    static let source = #"""
import os, selectors, socket, sys, time
port, target, flag = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sel = selectors.DefaultSelector()
pairs = {}
listener = None

def listen():
    global listener
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    listener.setblocking(False)
    sel.register(listener, selectors.EVENT_READ)

def drop(s):
    peer = pairs.pop(s, None)
    for x in (s, peer):
        if x is None:
            continue
        pairs.pop(x, None)
        try: sel.unregister(x)
        except Exception: pass
        x.close()

listen()
while True:
    down = os.path.exists(flag)
    if down and listener is not None:
        sel.unregister(listener); listener.close(); listener = None
        for s in list(pairs): drop(s)
    elif not down and listener is None:
        listen()
    for key, _ in sel.select(timeout=0.05):
        s = key.fileobj
        if s is listener:
            client, _ = listener.accept()
            try:
                server = socket.create_connection(("127.0.0.1", target))
            except OSError:
                client.close(); continue
            for x in (client, server):
                x.setblocking(True); x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sel.register(x, selectors.EVENT_READ)
            pairs[client] = server; pairs[server] = client
        elif s in pairs:
            try: data = s.recv(65536)
            except OSError: data = b""
            if not data: drop(s); continue
            try: pairs[s].sendall(data)
            except (OSError, KeyError): drop(s)
"""#
}
