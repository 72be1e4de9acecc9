extension FacteurConfiguration {
    /// `throttle.*` and `retry.*`: values that load but would stall or never retry.
    func validateRelaying(into problems: inout [ConfigurationProblem]) {
        if throttle.startRate <= 0 {
            problems.append(.init(.error, key: "throttle.start_rate",
                                  "throttle.start_rate must be greater than 0 messages/s, found \(throttle.startRate.configText)"))
        }
        var names: [String: Int] = [:]
        var owners: [String: String] = [:]
        for (index, provider) in throttle.providers.enumerated() {
            let label = "throttle.providers[\(index)]"
            func problem(_ key: String, _ message: String) {
                problems.append(.init(.error, key: "\(label).\(key)", "\(label) (\(provider.name)): \(message)"))
            }
            if provider.name.isEmpty {
                problem("name", "name is empty: statistics and logs could not name this provider")
            } else if let first = names[provider.name] {
                problem("name", "name '\(provider.name)' is already used by throttle.providers[\(first)]")
            } else {
                names[provider.name] = index
            }
            if provider.domains.isEmpty {
                problem("domains", "domains is empty: no destination would use this provider's limits")
            }
            for domain in provider.domains {
                let key = domain.lowercased()
                if let other = owners[key], other != provider.name {
                    problem("domains", "domain \(domain) is also listed under provider '\(other)'")
                }
                owners[key] = provider.name
            }
            if provider.maxRate < 0 {
                problem("max_rate", "max_rate must be 0 (no limit) or more, found \(provider.maxRate.configText)")
            }
            if provider.maxConcurrent < 0 {
                problem("max_concurrent", "max_concurrent must be 0 (no limit) or more, found \(provider.maxConcurrent)")
            }
        }
        if retry.maxAge < 0 {
            problems.append(.init(.error, key: "retry.max_age", "retry.max_age must be 0 (no retries) or more seconds, found \(retry.maxAge)"))
        }
        if retry.initialDelay < 1 {
            problems.append(.init(.error, key: "retry.initial_delay", "retry.initial_delay must be at least 1 second, found \(retry.initialDelay)"))
        }
        if retry.maxDelay < retry.initialDelay {
            problems.append(.init(.error, key: "retry.max_delay",
                                  "retry.max_delay (\(retry.maxDelay) s) is shorter than retry.initial_delay (\(retry.initialDelay) s)"))
        }
        if retry.jitter < 0 || retry.jitter >= 1 {
            problems.append(.init(.error, key: "retry.jitter", "retry.jitter must be from 0 to less than 1, found \(retry.jitter.configText)"))
        }
    }
}
