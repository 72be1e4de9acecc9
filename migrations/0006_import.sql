-- `facteur import`: one row per run, and what each source has already brought in, so that a second
-- run adds nothing and a killed run resumes where its last committed batch ended.
-- `source_key` names a source: host:port/database plus its table prefixes (or a CSV file and list).
CREATE TABLE facteur_import_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  source_key VARCHAR(255) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  started DATETIME NOT NULL,
  finished DATETIME NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'running',
  report MEDIUMTEXT NULL,
  KEY source_idx (source_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Per source and step: the last source key committed (keyset position) and whether the step ended.
-- Written in the same transaction as the batch it describes.
CREATE TABLE facteur_import_progress (
  source_key VARCHAR(255) NOT NULL,
  step VARCHAR(32) NOT NULL,
  last_source_id BIGINT NOT NULL DEFAULT 0,
  done TINYINT NOT NULL DEFAULT 0,
  updated DATETIME NOT NULL,
  PRIMARY KEY (source_key, step)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Source id → target id, per kind (user, list, message, attribute, attribute value, bounce, ...):
-- later steps and later runs translate references through it.
CREATE TABLE facteur_import_map (
  source_key VARCHAR(255) NOT NULL,
  kind VARCHAR(48) NOT NULL,
  source_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  PRIMARY KEY (source_key, kind, source_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
