-- Core platform schema: operators, their users, brands (portal domains), companies, contacts,
-- sessions, API tokens, public files, payments and the audit log.
-- Every table with operator_id has FORCE ROW LEVEL SECURITY and a policy on app.operator_id.

DO $$
BEGIN
  CREATE ROLE portal_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

CREATE OR REPLACE FUNCTION app_operator_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.operator_id', true), '')::uuid $$;

CREATE TABLE operators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE operators ENABLE ROW LEVEL SECURITY;
ALTER TABLE operators FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON operators USING (id = app_operator_id()) WITH CHECK (id = app_operator_id());

CREATE TABLE operator_users (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) <= 254),
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  PRIMARY KEY (operator_id, id),
  UNIQUE (id)
);
CREATE UNIQUE INDEX operator_users_email ON operator_users (lower(email));

CREATE TABLE public_files (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  filename text NOT NULL CHECK (length(filename) <= 255),
  content_type text NOT NULL,
  size integer NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (id)
);

CREATE TABLE portal_domains (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  domain text NOT NULL CHECK (length(domain) <= 253),
  brand_name text NOT NULL CHECK (length(brand_name) BETWEEN 1 AND 100),
  customer_signup boolean NOT NULL DEFAULT false,
  carrier_signup boolean NOT NULL DEFAULT false,
  currencies text[] NOT NULL DEFAULT '{}',
  template_customer_id uuid,
  features jsonb NOT NULL DEFAULT '{}',
  breakout_columns jsonb NOT NULL DEFAULT '{"customer":[],"carrier":[]}',
  cdr_fields jsonb NOT NULL DEFAULT '{"customer":[],"carrier":[]}',
  custom_js text NOT NULL DEFAULT '' CHECK (length(custom_js) <= 65536),
  custom_css text NOT NULL DEFAULT '' CHECK (length(custom_css) <= 65536),
  logo_file_id uuid,
  footer text NOT NULL DEFAULT '' CHECK (length(footer) <= 500),
  smtp_host text,
  smtp_port integer,
  smtp_security text NOT NULL DEFAULT 'starttls' CHECK (smtp_security IN ('none', 'starttls', 'tls')),
  smtp_username text,
  smtp_password_enc text,
  smtp_from text,
  state text NOT NULL DEFAULT 'pending_dns',
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (id),
  FOREIGN KEY (operator_id, logo_file_id) REFERENCES public_files (operator_id, id) ON DELETE SET NULL (logo_file_id)
);
CREATE UNIQUE INDEX portal_domains_domain ON portal_domains (domain);

CREATE TABLE companies (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  type text NOT NULL CHECK (type IN ('customer', 'carrier')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending_approval', 'suspended', 'closed')),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  debit_limit numeric(18, 4) NOT NULL DEFAULT 0,
  domain_id uuid,
  portal_access boolean NOT NULL DEFAULT true,
  show text[] NOT NULL DEFAULT '{}',
  hide text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (id),
  FOREIGN KEY (operator_id, domain_id) REFERENCES portal_domains (operator_id, id) ON DELETE SET NULL (domain_id)
);
CREATE INDEX companies_name ON companies (operator_id, lower(name));
CREATE INDEX companies_domain ON companies (operator_id, domain_id);

-- The template customer must belong to the same operator: the composite key enforces it.
ALTER TABLE portal_domains ADD FOREIGN KEY (operator_id, template_customer_id)
  REFERENCES companies (operator_id, id) ON DELETE SET NULL (template_customer_id);

CREATE TABLE contacts (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) <= 254),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  PRIMARY KEY (operator_id, id),
  UNIQUE (id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX contacts_email ON contacts (operator_id, lower(email));
CREATE INDEX contacts_company ON contacts (operator_id, company_id);

CREATE TABLE sessions (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  token_hash text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('operator', 'contact')),
  user_id uuid NOT NULL,
  -- The portal domain a contact session was opened on; a session is valid on that host only.
  domain_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  PRIMARY KEY (operator_id, id)
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (operator_id, user_id);

CREATE TABLE api_tokens (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix text NOT NULL,
  token_hash text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (operator_id, id)
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_type text NOT NULL,
  actor_id uuid,
  actor_label text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid,
  before jsonb,
  after jsonb,
  PRIMARY KEY (operator_id, id)
);
CREATE INDEX audit_log_at ON audit_log (operator_id, at DESC);

CREATE TABLE payments (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  amount numeric(18, 4) NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  method text NOT NULL CHECK (length(method) BETWEEN 1 AND 40),
  status text NOT NULL CHECK (status IN ('pending', 'completed', 'cancelled')),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX payments_company ON payments (operator_id, company_id, created_at DESC);

-- Platform-wide tables (no tenant): login throttling and generated settings.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  failures integer NOT NULL
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['operator_users', 'public_files', 'portal_domains', 'companies', 'contacts',
                           'sessions', 'api_tokens', 'audit_log', 'payments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (operator_id = app_operator_id()) '
                   'WITH CHECK (operator_id = app_operator_id())', t);
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO portal_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portal_app;
REVOKE ALL ON login_throttle, schema_migrations FROM portal_app;
GRANT EXECUTE ON FUNCTION app_operator_id() TO portal_app;
