-- Contact lifecycle and security: profile fields, TOTP two-factor sign-in with recovery codes, an optional
-- IP allow-list, single-use tokens (invites, password resets, the second sign-in step, "log in as") and
-- the operator user behind an impersonation session.

ALTER TABLE contacts ADD COLUMN IF NOT EXISTS phone text CHECK (length(phone) <= 40);
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) <= 64);
-- TOTP secrets are sealed with SECRET_KEY; the pending one waits for its first code during enrolment.
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS totp_secret_enc text;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS totp_pending_enc text;
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS totp_enabled_at timestamptz;
-- The last accepted 30-second step: a code is accepted once.
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS totp_last_step bigint;
-- CIDR ranges the contact may sign in and work from; empty = anywhere.
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS ip_allow text[] NOT NULL DEFAULT '{}';
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS password_changed_at timestamptz;

-- Set when an operator user opened this contact session with "log in as".
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS impersonator_id uuid;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS impersonator_label text;

-- Single-use, expiring tokens sent to (or handed to) a contact; only their SHA-256 is stored.
CREATE TABLE contact_tokens (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('invite', 'reset', 'mfa', 'impersonate')),
  token_hash text NOT NULL,
  -- The brand the token is valid on (null: any of the operator's brands the contact may use).
  domain_id uuid,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  -- "log in as": the operator user who asked for it.
  actor_id uuid,
  actor_label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, contact_id) REFERENCES contacts (operator_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX contact_tokens_hash ON contact_tokens (token_hash);
CREATE INDEX contact_tokens_contact ON contact_tokens (operator_id, contact_id, purpose);

-- One-time recovery codes of a contact's two-factor sign-in, stored hashed.
CREATE TABLE contact_recovery_codes (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, contact_id) REFERENCES contacts (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_recovery_codes_contact ON contact_recovery_codes (operator_id, contact_id);

ALTER TABLE contact_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON contact_tokens USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
ALTER TABLE contact_recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON contact_recovery_codes USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON contact_tokens, contact_recovery_codes TO portal_app;
