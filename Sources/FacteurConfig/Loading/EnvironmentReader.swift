/// `FACTEUR_<PATH>` overrides of scalar keys. The environment is passed in, never read globally.
enum EnvironmentReader {
    static func layer(_ environment: [String: String]) throws(ConfigurationError) -> ConfigLayer {
        var setters: [ConfigSetter<FacteurConfiguration>] = []
        for key in ConfigurationKeys.scalars {
            let variable = key.environmentVariable
            guard let text = environment[variable] else { continue }
            guard let setter = key.setter(text) else {
                throw .invalidEnvironment(variable: variable, key: key.path, expected: key.expected,
                                          found: key.isSecret ? "a value (not shown: secret)" : "'\(text)'")
            }
            setters.append(setter)
        }
        return ConfigLayer(setters: setters)
    }
}
