import ArgumentParser

/// Problems already printed, one line each, on standard error: the command exits non-zero without
/// ArgumentParser adding anything.
struct ReportedFailure: Error {}

enum Console {
    static func problem(_ line: String) {
        var standardError = StandardError()
        print("facteur: \(line)", to: &standardError)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.writeToStandardError(string)
    }
}
