import ArgumentParser
import Bounces
import Foundation

/// `facteur bounces classify FILE…`: classifies bounce messages read from files; needs no config or database.
struct BouncesClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify bounce messages: one line per failed recipient (file, recipient, status, reason, hard|soft|none)."
    )

    @Option(help: "Output format: tsv or json.")
    var format: String = "tsv"

    @Argument(help: "Message files (one RFC 5322 message each).")
    var files: [String]

    func validate() throws {
        guard BounceReportFormatter.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be tsv or json, not '\(format)'")
        }
    }

    func run() throws {
        let chosen = BounceReportFormatter.Format(rawValue: format) ?? .tsv
        var failures = 0
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("facteur: cannot read \(path)\n".utf8))
                failures += 1
                continue
            }
            let name = URL(fileURLWithPath: path).lastPathComponent
            let bounce = BounceParser.parse([UInt8](data))
            let output = chosen == .json
                ? BounceReportFormatter.json(file: name, bounce: bounce)
                : BounceReportFormatter.tsv(file: name, bounce: bounce)
            print(output)
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
