/// Facteur's whole configuration: PHPList's `config.php` (optional), then the YAML file, then the
/// environment, over built-in defaults. See "Configuration reference" in README.md for every key.
///
/// `description` is the redacted dump, so interpolating a configuration into a log line leaks no secret.
public struct FacteurConfiguration: Sendable, Equatable {
    public var database = DatabaseConfiguration()
    public var phplist = PHPListSettings()
    public var relays: [RelayConfiguration] = []
    public var throttle = ThrottleConfiguration()
    public var retry = RetryConfiguration()
    public var compose = ComposeConfiguration()
    public var bounces = BounceConfiguration()
    public var http = HTTPConfiguration()
    public var logging = LoggingConfiguration()

    /// Every key at its default; `database.url` is empty until a file or the environment sets it.
    public init() {}
}
