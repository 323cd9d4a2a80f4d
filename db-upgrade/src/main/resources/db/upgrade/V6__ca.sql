-- The built-in certificate authority, the certificates it issued to hosts, and the revoked ones.

-- One row (id 1): the CA of every management server on this database. The first server to start
-- inserts it; the others find it (the primary key settles a race at first start).
CREATE TABLE IF NOT EXISTS ca_certificate (
  id TINYINT UNSIGNED NOT NULL,
  -- PEM of the self-signed CA certificate
  certificate TEXT NOT NULL,
  -- PKCS#8 PEM of the CA's private key, encrypted with db.cloud.encrypt.secret (v1:...)
  private_key TEXT NOT NULL,
  created DATETIME NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every certificate issued to a host, by serial (lower-case hex): which host a client certificate names.
CREATE TABLE IF NOT EXISTS host_certificate (
  serial VARCHAR(64) NOT NULL,
  host_id BIGINT UNSIGNED NOT NULL,
  not_after DATETIME NOT NULL,
  created DATETIME NOT NULL,
  PRIMARY KEY (serial),
  KEY ix_host_certificate_host (host_id),
  CONSTRAINT fk_host_certificate_host FOREIGN KEY (host_id) REFERENCES host (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Revoked serials, checked on every agent TLS handshake.
CREATE TABLE IF NOT EXISTS revoked_certificate (
  serial VARCHAR(64) NOT NULL,
  reason VARCHAR(255) NOT NULL,
  revoked DATETIME NOT NULL,
  PRIMARY KEY (serial)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- When the host's one-time addHost credential was spent on its first certificate (NULL: not yet).
ALTER TABLE host ADD COLUMN agent_token_spent DATETIME NULL AFTER agent_token_hash;
