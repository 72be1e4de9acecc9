/// One Prometheus text exposition, parsed enough to sum series and list metric names.
struct Scrape {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let text: String
    let samples: [Sample]

    init(_ text: String) {
        self.text = text
        samples = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " ") else { return nil }
            let series = line[..<space]
            guard let value = Double(line[line.index(after: space)...]) ?? (line.hasSuffix("+Inf") ? .infinity : nil) else { return nil }
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            let inside = series[series.index(after: brace)..<(series.lastIndex(of: "}") ?? series.endIndex)]
            // Facteur's label values never hold quotes or commas.
            for pair in inside.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    /// Names of the series, with histograms' `_bucket`, `_sum` and `_count` kept as they are.
    var names: Set<String> { Set(samples.map(\.name)) }

    /// Sum of `name`'s samples whose labels include `matching`.
    func sum(_ name: String, _ matching: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && matching.allSatisfy { key, value in sample.labels[key] == value } }
            .reduce(0) { $0 + $1.value }
    }

    /// `name`'s samples summed per value of `label`.
    func sum(_ name: String, by label: String) -> [String: Double] {
        var sums: [String: Double] = [:]
        for sample in samples where sample.name == name { sums[sample.labels[label] ?? "", default: 0] += sample.value }
        return sums
    }
}
