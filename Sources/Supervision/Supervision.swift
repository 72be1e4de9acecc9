// Supervision: what an operator looks at. Metrics go through swift-metrics (the Worker, Relaying and
// Bounces modules record them via CoreMetrics); this module exports them for Prometheus, serves the
// HTTP endpoints and the status page, and reads the database for `facteur status`.
public enum Supervision {}
