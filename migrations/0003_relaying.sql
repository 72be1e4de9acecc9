-- Relaying: what the speed controller, the retry schedule and the relay pool decide, visible to
-- `facteur status` and to other hosts.

-- Per provider (ProviderTable: gmail, microsoft, orange, … or the domain itself) and per time window
-- (window_start = the start of a 5-minute window, UTC): counts that feed the provider controllers.
-- The sender adds sent/deferred; the bounce processor adds soft/hard bounces to the same rows.
-- Writers add to a row (INSERT … ON DUPLICATE KEY UPDATE col = col + VALUES(col)), never overwrite.
CREATE TABLE facteur_provider_stats (
  provider VARCHAR(255) NOT NULL,
  window_start DATETIME NOT NULL,
  sent INT NOT NULL DEFAULT 0,
  deferred INT NOT NULL DEFAULT 0,
  soft_bounces INT NOT NULL DEFAULT 0,
  hard_bounces INT NOT NULL DEFAULT 0,
  PRIMARY KEY (provider, window_start),
  KEY window_idx (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Subscribers waiting for another attempt after a transient failure. While a row is here the
-- subscriber's phplist_usermessage row says 'todo' and the campaign stays 'inprocess'; the row is
-- deleted when the subscriber is sent or given up (then recorded as a failure as the worker does).
CREATE TABLE facteur_retries (
  messageid INT NOT NULL,
  userid INT NOT NULL,
  attempts INT NOT NULL DEFAULT 1,
  first_attempt DATETIME NOT NULL,
  next_attempt DATETIME NOT NULL,
  last_reply VARCHAR(512) NOT NULL DEFAULT '',
  domain VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (messageid, userid),
  KEY due_idx (messageid, next_attempt)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Each relay as each worker sees it, refreshed every few seconds: circuit state and allowed rate.
CREATE TABLE facteur_relay_state (
  relay VARCHAR(255) NOT NULL,
  worker_id VARCHAR(64) NOT NULL,
  circuit VARCHAR(16) NOT NULL,
  allowed_rate DOUBLE NULL,
  in_flight INT NOT NULL DEFAULT 0,
  sent_today INT NOT NULL DEFAULT 0,
  updated DATETIME NOT NULL,
  PRIMARY KEY (relay, worker_id),
  KEY updated_idx (updated)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Each destination provider's controller as each worker sees it (only providers with a rate of their
-- own: a configured max_rate, or slowed down by replies or bounces).
CREATE TABLE facteur_provider_state (
  provider VARCHAR(255) NOT NULL,
  worker_id VARCHAR(64) NOT NULL,
  allowed_rate DOUBLE NULL,
  in_flight INT NOT NULL DEFAULT 0,
  updated DATETIME NOT NULL,
  PRIMARY KEY (provider, worker_id),
  KEY updated_idx (updated)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
