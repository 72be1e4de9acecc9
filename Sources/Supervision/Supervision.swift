// Supervision: what an operator looks at. Metrics go through swift-metrics (the Worker, Relaying and
// Bounces modules record them via CoreMetrics); this module exports them for Prometheus (`Metrics/`),
// serves /metrics, /health and /ready over HTTP (`HTTP/`) and lets the status page mount its routes.
public enum Supervision {}
