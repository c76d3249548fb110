-- Custom domains go live by themselves (SPEC section 6): DNS check results, the event timeline, certificates
-- (keys sealed with SECRET_KEY), ACME account and challenge tokens shared by every node, rate-limit
-- counters, operator notices and hostname tombstones.

ALTER TABLE portal_domains
  ADD COLUMN reason_detail text,
  ADD COLUMN dns_seen jsonb,
  ADD COLUMN dns_checked_at timestamptz,
  ADD COLUMN first_check_at timestamptz,
  ADD COLUMN next_check_at timestamptz,
  ADD COLUMN check_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN issue_failures integer NOT NULL DEFAULT 0,
  ADD COLUMN manual_check_at timestamptz,
  ADD COLUMN next_renewal_at timestamptz,
  ADD COLUMN expiry_notice_days integer;

-- Every state change of a domain, newest first in the console.
CREATE TABLE domain_events (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Orders events recorded at the same instant (one job can make several transitions).
  seq bigint GENERATED ALWAYS AS IDENTITY,
  domain_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  from_state text,
  to_state text NOT NULL,
  reason text,
  message text NOT NULL,
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, domain_id) REFERENCES portal_domains (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX domain_events_domain ON domain_events (operator_id, domain_id, at DESC);

-- Certificates per domain; the newest unsuperseded one is served. Deleting the domain deletes its keys.
CREATE TABLE domain_certificates (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  domain_id uuid NOT NULL,
  hostname text NOT NULL,
  serial text NOT NULL,
  issuer text NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  chain_pem text NOT NULL,
  key_pem_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  superseded_at timestamptz,
  PRIMARY KEY (operator_id, id),
  UNIQUE (id),
  FOREIGN KEY (operator_id, domain_id) REFERENCES portal_domains (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX domain_certificates_host ON domain_certificates (hostname, created_at DESC) WHERE superseded_at IS NULL;
CREATE INDEX domain_certificates_domain ON domain_certificates (operator_id, domain_id, created_at DESC);

-- Messages for the operator (issuance failures, expiry warnings), shown on the domain page.
CREATE TABLE domain_notices (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  domain_id uuid NOT NULL,
  level text NOT NULL CHECK (level IN ('info', 'warning', 'error')),
  code text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, domain_id) REFERENCES portal_domains (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX domain_notices_domain ON domain_notices (operator_id, domain_id, created_at DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['domain_events', 'domain_certificates', 'domain_notices'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (operator_id = app_operator_id()) '
                   'WITH CHECK (operator_id = app_operator_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO portal_app', t);
  END LOOP;
END $$;

-- Platform-wide (no tenant): the ACME account per directory, HTTP-01 tokens any node answers, per-hostname
-- issuance leases, rate-limit events and tombstones of removed hostnames. Only the system role touches them.
CREATE TABLE acme_accounts (
  directory_url text PRIMARY KEY,
  account_url text,
  key_pem_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE acme_challenges (
  token text PRIMARY KEY,
  hostname text NOT NULL,
  key_authorization text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX acme_challenges_expiry ON acme_challenges (expires_at);

CREATE TABLE acme_locks (
  hostname text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE acme_rate_events (
  bucket text NOT NULL,
  key text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX acme_rate_events_lookup ON acme_rate_events (bucket, key, at);

CREATE TABLE domain_tombstones (
  hostname text PRIMARY KEY,
  former_owner uuid NOT NULL,
  removed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
