-- Bounce mailboxes. One reader per mailbox among Facteur workers: a lease row per mailbox
-- (`mailbox_key` is the mailbox URL without its password), held by `worker_id` until `expires`
-- (database clock). A free lease has worker_id ''. A worker takes the row when it is free,
-- expired or already its own, and renews it while reading; a dead worker's lease simply expires.
CREATE TABLE facteur_bounce_mailbox_leases (
  mailbox_key VARCHAR(255) NOT NULL PRIMARY KEY,
  worker_id VARCHAR(64) NOT NULL DEFAULT '',
  acquired DATETIME(6) NOT NULL,
  expires DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Messages left in their mailbox after processing (disposition `keep`, e.g. POP3 without purge),
-- by mailbox and id (POP3 UIDL, IMAP UIDVALIDITY:UID, mbox offset:sha256), so they are not read
-- again. Rows for messages no longer in the mailbox are deleted when the mailbox is next listed.
CREATE TABLE facteur_bounce_mailbox_kept (
  mailbox_key VARCHAR(255) NOT NULL,
  message_id VARCHAR(255) NOT NULL,
  kept DATETIME NOT NULL,
  PRIMARY KEY (mailbox_key, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
