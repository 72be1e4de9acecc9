-- `facteur status` and the status page: what they must show that no table held yet.
-- ADD COLUMN IF NOT EXISTS keeps each statement safe to run again after a failed attempt.

-- Each relay's health (EWMA share of attempts that went well), and the deliveries and attempts its
-- worker made since it started: the relay's error share and its share of the measured throughput.
ALTER TABLE facteur_relay_state
  ADD COLUMN IF NOT EXISTS health DOUBLE NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS delivered BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS attempts BIGINT NOT NULL DEFAULT 0;

-- The classifier's reason (BounceReason: userunknown, mailboxfull, …) and hard/soft for each bounce
-- processed, which PHPList's bounce table does not keep; `processed` indexed for the last-24-hours view.
ALTER TABLE facteur_bounce_seen
  ADD COLUMN IF NOT EXISTS reason VARCHAR(32) NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS hard TINYINT NOT NULL DEFAULT 0,
  ADD INDEX IF NOT EXISTS processed_idx (processed);
