-- Facteur workers and their leases: one row per running `facteur` process, on any host.
-- A worker refreshes `heartbeat` while it lives; a row whose heartbeat is older than its lease
-- belongs to a dead worker, whose claims others may take over.
CREATE TABLE facteur_workers (
  worker_id VARCHAR(64) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  pid INT NOT NULL,
  started DATETIME NOT NULL,
  heartbeat DATETIME NOT NULL,
  lease_seconds INT NOT NULL DEFAULT 60,
  version VARCHAR(32) NOT NULL DEFAULT '',
  KEY heartbeat_idx (heartbeat)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
