-- What a template customer carries into a sign-up (alerts, packages and their assignments, contracts with
-- immutable revisions and their assignments), and the sign-ups themselves with their email verifications.

-- Alerts on one company's traffic or balance. Evaluation comes later; a template customer carries them.
CREATE TABLE alerts (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  -- Email address notified; null = every contact of the company.
  recipient text CHECK (length(recipient) <= 254),
  area text NOT NULL CHECK (area IN ('balance', 'asr', 'acd', 'pdd', 'cps', 'channels')),
  comparator text NOT NULL CHECK (comparator IN ('<', '>', '=')),
  threshold numeric(18, 4) NOT NULL,
  -- Hysteresis: the alert re-arms only once the value crosses back past this one.
  reset_threshold numeric(18, 4),
  sample_minutes integer CHECK (sample_minutes BETWEEN 1 AND 1440),
  penalty_minutes integer CHECK (penalty_minutes BETWEEN 1 AND 10080),
  repeat_minutes integer CHECK (repeat_minutes BETWEEN 1 AND 10080),
  notice_level text NOT NULL DEFAULT 'warning' CHECK (notice_level IN ('warning', 'error')),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, company_id, title),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);

-- Products sold to customers on a schedule (charging comes later).
CREATE TABLE packages (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  type text NOT NULL DEFAULT 'standard' CHECK (type IN ('standard', 'free_minutes')),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  cost numeric(18, 4) NOT NULL DEFAULT 0 CHECK (cost >= 0),
  retail numeric(18, 4) NOT NULL DEFAULT 0 CHECK (retail >= 0),
  setup_cost numeric(18, 4) NOT NULL DEFAULT 0 CHECK (setup_cost >= 0),
  setup_retail numeric(18, 4) NOT NULL DEFAULT 0 CHECK (setup_retail >= 0),
  frequency text NOT NULL DEFAULT 'monthly' CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  -- Days of the month (1-31) or of the week (1-7, Monday = 1) a weekly/monthly package is charged on.
  frequency_match integer[] NOT NULL DEFAULT '{}',
  minimum_days integer NOT NULL DEFAULT 0 CHECK (minimum_days BETWEEN 0 AND 3650),
  destination_regex text CHECK (length(destination_regex) <= 200),
  free_minutes integer CHECK (free_minutes >= 0),
  minimum_spend numeric(18, 4) CHECK (minimum_spend >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (id)
);
CREATE UNIQUE INDEX packages_name ON packages (operator_id, lower(name));

CREATE TABLE package_assignments (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  package_id uuid NOT NULL,
  quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 100000),
  start_date date NOT NULL DEFAULT current_date,
  end_date date,
  auto_decrement boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  CHECK (end_date IS NULL OR end_date >= start_date),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE,
  FOREIGN KEY (operator_id, package_id) REFERENCES packages (operator_id, id)
);
CREATE INDEX package_assignments_company ON package_assignments (operator_id, company_id);
CREATE INDEX package_assignments_package ON package_assignments (operator_id, package_id);

CREATE TABLE contracts (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (id)
);
CREATE UNIQUE INDEX contracts_name ON contracts (operator_id, lower(name));

-- Revisions are immutable: the application role may read and add them, never change or delete them.
CREATE TABLE contract_revisions (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL,
  revision integer NOT NULL CHECK (revision >= 1),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 200000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, contract_id, revision),
  FOREIGN KEY (operator_id, contract_id) REFERENCES contracts (operator_id, id) ON DELETE CASCADE
);

-- A company's copy of a contract: one revision, a grace date (service usable until then) and whether it is
-- required; approval is a typed name and "I agree", recorded with the time and the contact.
CREATE TABLE contract_assignments (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  contract_id uuid NOT NULL,
  revision_id uuid NOT NULL,
  grace_date timestamptz,
  required boolean NOT NULL DEFAULT true,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  approved_at timestamptz,
  approved_by_name text CHECK (length(approved_by_name) <= 200),
  approved_by_contact_id uuid,
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, company_id, contract_id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE,
  FOREIGN KEY (operator_id, contract_id) REFERENCES contracts (operator_id, id),
  FOREIGN KEY (operator_id, revision_id) REFERENCES contract_revisions (operator_id, id)
);
CREATE INDEX contract_assignments_contract ON contract_assignments (operator_id, contract_id);

-- Same definition as the contact profile migration, so whichever runs first creates it.
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS phone text CHECK (length(phone) <= 40);

-- One row per self sign-up: what the form said that has no other home, and the operator's decision.
CREATE TABLE signups (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  domain_id uuid,
  type text NOT NULL CHECK (type IN ('customer', 'carrier')),
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  ip text,
  template_company_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  email_verified_at timestamptz,
  decision text CHECK (decision IN ('approved', 'rejected')),
  decided_at timestamptz,
  decided_by text,
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, company_id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE,
  FOREIGN KEY (operator_id, contact_id) REFERENCES contacts (operator_id, id) ON DELETE CASCADE,
  FOREIGN KEY (operator_id, domain_id) REFERENCES portal_domains (operator_id, id) ON DELETE SET NULL (domain_id)
);
CREATE INDEX signups_created ON signups (operator_id, created_at DESC);

-- Single-use, expiring email verification links; only the token's SHA-256 is kept. The password chosen at
-- sign-up waits here and becomes the contact's only once the address is proven.
CREATE TABLE email_verifications (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL,
  token_hash text NOT NULL,
  password_hash text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, contact_id) REFERENCES contacts (operator_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX email_verifications_token ON email_verifications (token_hash);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['alerts', 'packages', 'package_assignments', 'contracts', 'contract_revisions',
                           'contract_assignments', 'signups', 'email_verifications'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (operator_id = app_operator_id()) '
                   'WITH CHECK (operator_id = app_operator_id())', t);
    IF t = 'contract_revisions' THEN
      EXECUTE format('GRANT SELECT, INSERT ON %I TO portal_app', t);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO portal_app', t);
    END IF;
  END LOOP;
END $$;
