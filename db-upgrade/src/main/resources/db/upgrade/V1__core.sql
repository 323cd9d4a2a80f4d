-- Domains, accounts, users with API keys, global settings, management servers and async jobs.
-- Portable to MySQL 5.7 and MariaDB 10.3+, valid under the full 5.7 strict sql_mode.
-- Secrets (API secret keys) are stored encrypted by the server; passwords as salted hashes.

CREATE TABLE IF NOT EXISTS domain (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  path VARCHAR(255) NOT NULL,
  parent BIGINT UNSIGNED NULL,
  state VARCHAR(32) NOT NULL DEFAULT 'Active',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_domain_uuid (uuid),
  UNIQUE KEY uk_domain_path (path),
  CONSTRAINT fk_domain_parent FOREIGN KEY (parent) REFERENCES domain (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO domain (id, uuid, name, path, parent, state, created) VALUES (1, UUID(), 'ROOT', '/', NULL, 'Active', UTC_TIMESTAMP());

CREATE TABLE IF NOT EXISTS account (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  account_name VARCHAR(255) NOT NULL,
  -- CloudStack's account types: 0 user, 1 root admin, 2 domain admin
  type TINYINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  state VARCHAR(32) NOT NULL DEFAULT 'enabled',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_account_uuid (uuid),
  UNIQUE KEY uk_account_domain_name (domain_id, account_name),
  CONSTRAINT fk_account_domain FOREIGN KEY (domain_id) REFERENCES domain (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS user (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  username VARCHAR(255) NOT NULL,
  -- PBKDF2 hash with its salt and iteration count, never the password
  password VARCHAR(255) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  firstname VARCHAR(255) NULL,
  lastname VARCHAR(255) NULL,
  email VARCHAR(255) NULL,
  state VARCHAR(32) NOT NULL DEFAULT 'enabled',
  api_key VARCHAR(255) NULL,
  -- AES-GCM ciphertext (base64) of the API secret key
  secret_key VARCHAR(512) NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_user_uuid (uuid),
  UNIQUE KEY uk_user_api_key (api_key),
  KEY ix_user_username (username),
  CONSTRAINT fk_user_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS configuration (
  name VARCHAR(255) NOT NULL,
  category VARCHAR(64) NOT NULL,
  value VARCHAR(4095) NULL,
  default_value VARCHAR(4095) NULL,
  type VARCHAR(32) NOT NULL,
  scope VARCHAR(32) NOT NULL DEFAULT 'Global',
  description VARCHAR(1024) NOT NULL,
  updated DATETIME NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS mshost (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  -- a fresh id for every start of a management server process
  msid BIGINT UNSIGNED NOT NULL,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  version VARCHAR(64) NOT NULL,
  service_ip VARCHAR(64) NOT NULL,
  service_port INT NOT NULL,
  state VARCHAR(16) NOT NULL,
  last_update DATETIME NOT NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_mshost_msid (msid),
  UNIQUE KEY uk_mshost_uuid (uuid),
  KEY ix_mshost_state (state, last_update)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS async_job (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  cmd VARCHAR(255) NOT NULL,
  -- the command's parameters as JSON, secrets removed
  cmd_info TEXT NULL,
  instance_type VARCHAR(64) NULL,
  instance_id VARCHAR(40) NULL,
  -- 0 pending, 1 succeeded, 2 failed
  job_status INT NOT NULL DEFAULT 0,
  job_process_status INT NOT NULL DEFAULT 0,
  job_result_code INT NOT NULL DEFAULT 0,
  job_result_type VARCHAR(16) NULL,
  job_result MEDIUMTEXT NULL,
  -- the management server process running the job
  executing_msid BIGINT UNSIGNED NOT NULL,
  created DATETIME NOT NULL,
  last_updated DATETIME NOT NULL,
  completed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_async_job_uuid (uuid),
  KEY ix_async_job_status_msid (job_status, executing_msid),
  KEY ix_async_job_account (account_id, created),
  CONSTRAINT fk_async_job_user FOREIGN KEY (user_id) REFERENCES user (id),
  CONSTRAINT fk_async_job_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
