// FacteurTesting module.
