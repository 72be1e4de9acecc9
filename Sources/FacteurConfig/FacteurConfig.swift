// FacteurConfig module.
