-- Claims in flight, by worker: one row per batch of phplist_usermessage 'active' rows a worker inserted,
-- listing the subscriber ids it claimed. The row is deleted once the batch's outcomes are written.
-- Recovery rule: when the worker's facteur_workers row is missing or its heartbeat is older than its
-- lease_seconds, any worker deletes the 'active' usermessage rows listed here (only rows still 'active'),
-- then this row, so those subscribers are selected and sent again. A message that was in DATA when the
-- worker died may have been delivered already: that narrow window is resent (at-least-once there only).
CREATE TABLE facteur_claim_batches (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  worker_id VARCHAR(64) NOT NULL,
  messageid INT NOT NULL,
  userids MEDIUMTEXT NOT NULL,
  claimed DATETIME NOT NULL,
  KEY worker_idx (worker_id),
  KEY message_idx (messageid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
