/// One source of settings (the YAML file, the environment), already checked, applied over lower layers.
struct ConfigLayer: Sendable {
    var setters: [ConfigSetter<FacteurConfiguration>]

    func apply(to configuration: inout FacteurConfiguration) {
        for setter in setters { setter.apply(&configuration) }
    }
}
