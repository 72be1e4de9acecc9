/// The page's stylesheet, inline so nothing is fetched from elsewhere.
enum StatusPageStyle {
    static let css = """
    :root { --ink: #1d2430; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --card: #fff;
            --ok: #1a7f37; --warn: #b54708; --bad: #c0262d; --accent: #2f6fde; --deferred: #f0a030; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
    header { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: var(--ink); color: #fff; }
    header h1 { font-size: 18px; margin: 0; letter-spacing: .02em; }
    .stale { background: var(--bad); padding: 2px 8px; border-radius: 4px; font-size: 12px; }
    main { padding: 16px 24px 32px; max-width: 1280px; margin: 0 auto; }
    .taken { color: var(--muted); margin: 0 0 12px; font-size: 12px; }
    .taken a { color: var(--accent); }
    section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; }
    h2 { font-size: 14px; margin: 0 0 8px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; background: none; border: 0; padding: 0; }
    .tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
    .tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
    .tile .value { font-size: 28px; font-weight: 600; margin: 2px 0; font-variant-numeric: tabular-nums; }
    .tile .value small { font-size: 14px; color: var(--muted); }
    .tile .note { color: var(--muted); font-size: 12px; }
    .pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
    .pair section { margin-bottom: 16px; }
    .scroll { overflow-x: auto; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
    th { font-size: 12px; color: var(--muted); font-weight: 600; }
    td.subject, td.reply { white-space: normal; max-width: 360px; overflow-wrap: anywhere; }
    .num { text-align: right; }
    .empty { color: var(--muted); margin: 4px 0; }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: var(--line); }
    .badge.running { background: #dbe7fb; color: var(--accent); }
    .circuit-closed { background: #dcf3e3; color: var(--ok); }
    .circuit-half-open, .circuit-halfOpen { background: #fdebd3; color: var(--warn); }
    .circuit-open { background: #fbdcdd; color: var(--bad); }
    .bar { display: inline-block; width: 120px; height: 8px; background: var(--line); border-radius: 4px; overflow: hidden; vertical-align: middle; }
    .bar div { height: 100%; background: var(--accent); }
    .pct { margin-left: 6px; color: var(--muted); font-size: 12px; }
    .chart { width: 100%; max-width: 900px; height: auto; display: block; }
    .chart .grid { stroke: var(--line); stroke-width: 1; }
    .chart .axis { fill: var(--muted); font-size: 11px; }
    .chart .sent { fill: var(--accent); }
    .chart .deferred { fill: var(--deferred); }
    .legend { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
    .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; vertical-align: middle; }
    .key.sent { background: var(--accent); } .key.deferred { background: var(--deferred); margin-left: 8px; }
    """
}
