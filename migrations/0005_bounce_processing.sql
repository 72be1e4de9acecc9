-- Every bounce message Facteur has processed, keyed by the SHA-256 of its raw bytes. The row is written
-- in the same transaction as the PHPList rows the bounce produced (phplist_bounce, user_message_bounce,
-- counters), so a bounce read again — from any mailbox, an mbox read twice, a crash between reading and
-- deleting it from its mailbox — is recognised and never counted twice.
CREATE TABLE facteur_bounce_seen (
  sha256 BINARY(32) NOT NULL PRIMARY KEY,
  bounce_id INT NULL,
  source VARCHAR(255) NOT NULL DEFAULT '',
  size INT NOT NULL DEFAULT 0,
  processed DATETIME NOT NULL,
  KEY bounce_idx (bounce_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
