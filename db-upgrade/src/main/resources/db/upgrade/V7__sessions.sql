-- Login sessions in the database, so they survive a restart and every management server knows them.
-- Only SHA-256 hashes of the session id (the JSESSIONID cookie) and of the session key are kept:
-- a copy of this table logs no one in.

CREATE TABLE IF NOT EXISTS user_session (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  session_hash CHAR(64) NOT NULL,
  key_hash CHAR(64) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  created DATETIME NOT NULL,
  last_access DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_user_session_hash (session_hash),
  KEY ix_user_session_user (user_id),
  KEY ix_user_session_last_access (last_access),
  CONSTRAINT fk_user_session_user FOREIGN KEY (user_id) REFERENCES user (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Failed logins in a row, as CloudStack counts them; incorrect.login.attempts.allowed disables the user.
ALTER TABLE user ADD COLUMN incorrect_login_attempts INT UNSIGNED NOT NULL DEFAULT 0 AFTER state;

-- Failed logins per source address in the current window, shared by all management servers.
CREATE TABLE IF NOT EXISTS login_failure (
  source VARCHAR(64) NOT NULL,
  failures INT UNSIGNED NOT NULL,
  window_start DATETIME NOT NULL,
  PRIMARY KEY (source),
  KEY ix_login_failure_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
