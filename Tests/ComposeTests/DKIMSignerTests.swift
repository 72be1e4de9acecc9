import Compose
import Foundation
import Testing

/// DKIM signatures checked by an independent verifier: python3-dkim (dkimpy), given the public key as the
/// DNS TXT record through its `dnsfunc` hook.
@Suite struct DKIMSignerTests {
    static let python = "/usr/bin/python3"

    @Test func rsaSignatureVerifiesWithDkimpy() throws {
        try requireTools()
        let dir = try temporaryDirectory()
        let keyPath = dir.appendingPathComponent("rsa.pem").path
        try run("/usr/bin/openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath])
        let publicDER = try run("/usr/bin/openssl", ["pkey", "-in", keyPath, "-pubout", "-outform", "DER"])
        let signer = try DKIMSigner.rsa(pem: String(contentsOfFile: keyPath, encoding: .utf8), domain: "example.org",
                                        selector: "facteur")
        let signed = try signer.sign(try sampleMessage())
        let txt = "v=DKIM1; k=rsa; p=" + publicDER.base64EncodedString()
        #expect(try verify(signed, txt: txt, in: dir) == "True")
        // A changed body no longer verifies.
        var tampered = signed
        tampered[tampered.count - 40] ^= 0x01
        #expect(try verify(tampered, txt: txt, in: dir) == "False")
    }

    @Test func ed25519SignatureVerifiesWithDkimpy() throws {
        try requireTools()
        let dir = try temporaryDirectory()
        let keyPath = dir.appendingPathComponent("ed.pem").path
        try run("/usr/bin/openssl", ["genpkey", "-algorithm", "ed25519", "-out", keyPath])
        let publicDER = try run("/usr/bin/openssl", ["pkey", "-in", keyPath, "-pubout", "-outform", "DER"])
        let signer = try DKIMSigner.ed25519(pem: String(contentsOfFile: keyPath, encoding: .utf8), domain: "example.org",
                                            selector: "ed")
        let signed = try signer.sign(try sampleMessage())
        let txt = "v=DKIM1; k=ed25519; p=" + publicDER.suffix(32).base64EncodedString()
        #expect(try verify(signed, txt: txt, in: dir) == "True")
        #expect(String(decoding: signed.prefix(60), as: UTF8.self).contains("a=ed25519-sha256; c=relaxed/relaxed"))
    }

    // MARK: helpers

    func sampleMessage() throws -> [UInt8] {
        let fixture = try SampleFixture()
        let compiled = try CompiledCampaign.compile(try fixture.content, settings: fixture.settings)
        return try compiled.render(for: fixture.subscriber(id: 2), tracking: fixture.tracking).bytes
    }

    func requireTools() throws {
        for tool in [Self.python, "/usr/bin/openssl"] where !FileManager.default.isExecutableFile(atPath: tool) {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("\(tool) is missing: install openssl and python3-dkim (scripts/services.sh up)")
            }
            throw SkipInfo("\(tool) not installed")
        }
    }

    struct SkipInfo: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-dkim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func verify(_ message: [UInt8], txt: String, in dir: URL) throws -> String {
        let msg = dir.appendingPathComponent("msg.eml")
        let key = dir.appendingPathComponent("txt")
        try Data(message).write(to: msg)
        try Data(txt.utf8).write(to: key)
        let script = """
        import dkim, sys
        msg = open(sys.argv[1], 'rb').read()
        txt = open(sys.argv[2], 'rb').read()
        def dnsfunc(name, **kw):
            assert name in (b'facteur._domainkey.example.org.', b'ed._domainkey.example.org.'), name
            return txt
        print(dkim.verify(msg, dnsfunc=dnsfunc))
        """
        let out = try run(Self.python, ["-c", script, msg.path, key.path])
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func run(_ tool: String, _ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }
}
