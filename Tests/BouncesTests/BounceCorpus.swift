import Foundation
@testable import Bounces

/// The shared corpus (emails/*.eml + expected.tsv) and the README's scoring rule.
struct BounceCorpus {
    let directory: URL

    struct Figures {
        var rows = 0
        var reasonHits = 0
        var hardHits = 0
        var reasonAccuracy: Double { rows == 0 ? 0 : Double(reasonHits) / Double(rows) }
        var hardSoftAgreement: Double { rows == 0 ? 0 : Double(hardHits) / Double(rows) }
    }

    struct Score {
        var total = Figures()
        var families: [String: Figures] = [:]
        var rows: Int { total.rows }
        var reasonAccuracy: Double { total.reasonAccuracy }
        var hardSoftAgreement: Double { total.hardSoftAgreement }
    }

    /// FACTEUR_BOUNCE_CORPUS, else ../shared/bounces next to the repository, else /work/shared/bounces.
    static func locate(filePath: String = #filePath) -> BounceCorpus? {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["FACTEUR_BOUNCE_CORPUS"] { candidates.append(URL(fileURLWithPath: path)) }
        let repository = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/bounces"))
        candidates.append(URL(fileURLWithPath: "/work/shared/bounces"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("expected.tsv").path) }
            .map(BounceCorpus.init)
    }

    func messages() throws -> [(name: String, bytes: [UInt8])] {
        let emails = directory.appendingPathComponent("emails")
        return try FileManager.default.contentsOfDirectory(atPath: emails.path).filter { $0.hasSuffix(".eml") }.sorted().map {
            ($0, [UInt8](try Data(contentsOf: emails.appendingPathComponent($0))))
        }
    }

    func score() throws -> Score {
        var actual: [String: [[String]]] = [:]
        for message in try messages() {
            actual[message.name] = BounceReportFormatter.rows(file: message.name, bounce: BounceParser.parse(message.bytes))
        }
        let expected = try String(contentsOf: directory.appendingPathComponent("expected.tsv"), encoding: .utf8)
        var rowsSeen: [String: Int] = [:]
        var score = Score()
        for line in expected.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 6 else { continue }
            let file = columns[0], reason = columns[4], hard = columns[5] == "true"
            let index = rowsSeen[file, default: 0]
            rowsSeen[file] = index + 1
            let got = actual[file] ?? []
            var reasonHit = false, hardHit = false
            if reason == "none" && got.isEmpty {
                reasonHit = true
                hardHit = true
            } else if index < got.count {
                reasonHit = got[index][3] == reason
                hardHit = (got[index][4] == "hard") == hard
            }
            let family = Self.family(of: file)
            for key in [nil, family] as [String?] {
                var figures = key.map { score.families[$0, default: Figures()] } ?? score.total
                figures.rows += 1
                figures.reasonHits += reasonHit ? 1 : 0
                figures.hardHits += hardHit ? 1 : 0
                if let key { score.families[key] = figures } else { score.total = figures }
            }
        }
        return score
    }

    /// "lhost-exim-01.eml" → "exim"; "rfc3464-04.eml" → "rfc3464".
    static func family(of file: String) -> String {
        var parts = file.replacing(".eml", with: "").split(separator: "-").map(String.init)
        if parts.count > 1, Int(parts.last ?? "") != nil { parts.removeLast() }
        if let first = parts.first, first == "lhost" || first == "rhost" { parts.removeFirst() }
        return parts.joined(separator: "-")
    }
}
