-- `facteur status` and the status page: each relay's health (EWMA share of attempts that went well),
-- and the deliveries and attempts its worker made since it started, for the relay's error share and
-- its share of the measured throughput. ADD COLUMN IF NOT EXISTS keeps the statement safe to rerun.
ALTER TABLE facteur_relay_state
  ADD COLUMN IF NOT EXISTS health DOUBLE NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS delivered BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS attempts BIGINT NOT NULL DEFAULT 0;
