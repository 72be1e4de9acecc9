extension FacteurConfiguration {
    /// Builds the configuration from, lowest first: defaults, PHPList's `config.php`, the YAML file,
    /// the environment.
    ///
    /// - Parameters:
    ///   - configFile: `--config FILE`; when nil, `FACTEUR_CONFIG` from `environment`; when neither, no file.
    ///   - phplistConfigPath: `--phplist-config PATH`; wins over `phplist.config_php` from the file or
    ///     `FACTEUR_PHPLIST_CONFIG_PHP`. A relative `phplist.config_php` in the file is relative to the file.
    ///   - environment: the process environment, passed in so tests need no global state.
    public static func load(
        configFile: String?, phplistConfigPath: String?, environment: [String: String]
    ) throws(ConfigurationError) -> FacteurConfiguration {
        let configFile = configFile ?? environment["FACTEUR_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let fileLayer = try configFile.map { (path) throws(ConfigurationError) in
            try YAMLReader.layer(yaml: FileReading.text(ofFile: path), file: path)
        } ?? ConfigLayer(setters: [])
        let environmentLayer = try EnvironmentReader.layer(environment)

        let phpPath = Self.phplistConfigPath(argument: phplistConfigPath, configFile: configFile,
                                             fileLayer: fileLayer, environment: environment)

        var configuration = FacteurConfiguration()
        if let phpPath {
            do {
                let php = try PHPListConfigFile(contentsOfFile: phpPath)
                PHPListImport.apply(php, to: &configuration)
            } catch {
                throw .phplistConfig(error)
            }
        }
        fileLayer.apply(to: &configuration)
        environmentLayer.apply(to: &configuration)
        configuration.phplist.configPHP = phpPath ?? ""
        configuration.fillDerivedDefaults()

        guard !configuration.database.url.isEmpty else { throw .noDatabase }
        return configuration
    }

    private static func phplistConfigPath(
        argument: String?, configFile: String?, fileLayer: ConfigLayer, environment: [String: String]
    ) -> String? {
        if let argument, !argument.isEmpty { return argument }
        let variable = "FACTEUR_PHPLIST_CONFIG_PHP"
        if let fromEnvironment = environment[variable] { return fromEnvironment.isEmpty ? nil : fromEnvironment }
        var fromFile = FacteurConfiguration()
        fileLayer.apply(to: &fromFile)
        let path = fromFile.phplist.configPHP
        guard !path.isEmpty else { return nil }
        return configFile.map { FileReading.resolve(path, relativeTo: $0) } ?? path
    }

    /// Defaults that depend on other values: a relay without a name is called by its host:port.
    mutating func fillDerivedDefaults() {
        for index in relays.indices where relays[index].name.isEmpty {
            if case .success(let url) = relays[index].parsedURL, !url.host.isEmpty {
                relays[index].name = url.hostAndPort
            } else {
                relays[index].name = "relays[\(index)]"
            }
        }
    }
}
