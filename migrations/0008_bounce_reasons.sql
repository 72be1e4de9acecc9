-- `facteur status` and the status page: the classifier's reason (BounceReason: userunknown, mailboxfull,
-- …) and hard/soft for each bounce processed, which PHPList's bounce table does not keep; `processed`
-- indexed for the last-24-hours view. IF NOT EXISTS keeps the statement safe to rerun.
ALTER TABLE facteur_bounce_seen
  ADD COLUMN IF NOT EXISTS reason VARCHAR(32) NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS hard TINYINT NOT NULL DEFAULT 0,
  ADD INDEX IF NOT EXISTS processed_idx (processed);
