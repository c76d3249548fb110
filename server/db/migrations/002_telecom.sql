-- Telecom data: rate cards with revisions, routes, DIDs, IP and SIP authentication, CLI rules,
-- live registrations and calls, CDRs (partitioned by month), call logs, usage counters, hourly rollups.

CREATE TABLE rate_cards (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  precision integer NOT NULL DEFAULT 4 CHECK (precision BETWEEN 0 AND 6),
  rounding text NOT NULL DEFAULT 'half_up' CHECK (rounding IN ('up', 'down', 'half_up', 'half_down')),
  direction text NOT NULL DEFAULT 'termination' CHECK (direction IN ('termination', 'origination')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (id)
);

CREATE TABLE rate_card_revisions (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  rate_card_id uuid NOT NULL,
  revision integer NOT NULL,
  date_live timestamptz NOT NULL DEFAULT now(),
  rate_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, rate_card_id, revision),
  FOREIGN KEY (operator_id, rate_card_id) REFERENCES rate_cards (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX rate_card_revisions_live ON rate_card_revisions (operator_id, rate_card_id, date_live DESC);

CREATE TABLE rates (
  operator_id uuid NOT NULL,
  revision_id uuid NOT NULL,
  prefix text NOT NULL CHECK (prefix ~ '^[0-9]{1,20}$'),
  name text NOT NULL CHECK (length(name) <= 100),
  rate numeric(18, 6) NOT NULL CHECK (rate >= 0),
  connect_cost numeric(18, 6) NOT NULL DEFAULT 0 CHECK (connect_cost >= 0),
  mcd integer NOT NULL DEFAULT 0 CHECK (mcd >= 0),
  pulse integer NOT NULL DEFAULT 1 CHECK (pulse >= 1),
  grace integer NOT NULL DEFAULT 0 CHECK (grace >= 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  PRIMARY KEY (operator_id, revision_id, prefix),
  FOREIGN KEY (operator_id, revision_id) REFERENCES rate_card_revisions (operator_id, id) ON DELETE CASCADE
);

CREATE TABLE routes (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  rate_card_id uuid NOT NULL,
  tech_prefix text NOT NULL DEFAULT '' CHECK (tech_prefix ~ '^[0-9#*]{0,20}$'),
  channels integer CHECK (channels >= 0),
  cps integer CHECK (cps >= 0),
  max_duration integer CHECK (max_duration >= 0),
  public_note text NOT NULL DEFAULT '' CHECK (length(public_note) <= 2000),
  private_note text NOT NULL DEFAULT '' CHECK (length(private_note) <= 2000),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, company_id, tech_prefix),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE,
  FOREIGN KEY (operator_id, rate_card_id) REFERENCES rate_cards (operator_id, id)
);

CREATE TABLE dids (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number text NOT NULL CHECK (number ~ '^[0-9]{3,20}$'),
  company_id uuid,
  destination_type text NOT NULL DEFAULT 'uri' CHECK (destination_type IN ('uri', 'external', 'internal', 'circuit_test')),
  destination text NOT NULL DEFAULT '' CHECK (length(destination) <= 255),
  destination_locked boolean NOT NULL DEFAULT false,
  tags text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, number),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE SET NULL (company_id)
);
CREATE INDEX dids_company ON dids (operator_id, company_id);

CREATE TABLE ip_auth (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  address text NOT NULL CHECK (length(address) <= 253),
  direction text NOT NULL DEFAULT 'egress' CHECK (direction IN ('egress', 'ingress')),
  protocol text NOT NULL DEFAULT 'udp' CHECK (protocol IN ('udp', 'tcp', 'tls')),
  port integer NOT NULL DEFAULT 5060 CHECK (port BETWEEN 1 AND 65535),
  channels integer CHECK (channels >= 0),
  cps integer CHECK (cps >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  UNIQUE (operator_id, company_id, address, direction),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);

CREATE TABLE sip_users (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9._-]{3,64}$'),
  realm text NOT NULL,
  -- Only the digest HA1 = MD5(username:realm:password) a SIP server needs; never the password.
  ha1 text NOT NULL CHECK (ha1 ~ '^[0-9a-f]{32}$'),
  channels integer CHECK (channels >= 0),
  cps integer CHECK (cps >= 0),
  protocol text NOT NULL DEFAULT 'udp' CHECK (protocol IN ('udp', 'tcp', 'tls', 'tls_srtp')),
  ip_whitelist text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sip_users_username ON sip_users (operator_id, lower(username));

CREATE TABLE cli_rules (
  operator_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('forced', 'allow')),
  pattern text NOT NULL CHECK (length(pattern) BETWEEN 1 AND 64),
  replacement text NOT NULL DEFAULT '' CHECK (length(replacement) <= 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);

CREATE TABLE registrations (
  operator_id uuid NOT NULL,
  company_id uuid NOT NULL,
  username text NOT NULL,
  contact text NOT NULL,
  ip text NOT NULL,
  protocol text NOT NULL DEFAULT 'udp',
  nat boolean NOT NULL DEFAULT false,
  user_agent text NOT NULL DEFAULT '',
  expires_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, username, contact),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX registrations_company ON registrations (operator_id, company_id);

CREATE TABLE active_calls (
  operator_id uuid NOT NULL,
  call_id text NOT NULL,
  company_id uuid NOT NULL,
  carrier_id uuid,
  cli text NOT NULL DEFAULT '',
  dest_number text NOT NULL,
  dest_name text NOT NULL DEFAULT '',
  started_at timestamptz NOT NULL,
  answered_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, call_id),
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX active_calls_company ON active_calls (operator_id, company_id);

-- One row per call attempt. Partitioned by month of start_time; partitions are created on demand
-- (with the same row-level security) by the ingestion code.
CREATE TABLE cdrs (
  operator_id uuid NOT NULL,
  call_id text NOT NULL,
  start_time timestamptz NOT NULL,
  company_id uuid NOT NULL,
  route_id uuid,
  rate_card_id uuid,
  cli text NOT NULL DEFAULT '',
  tech_prefix text NOT NULL DEFAULT '',
  dest_number text NOT NULL,
  lrn text,
  direction text NOT NULL DEFAULT 'outbound',
  auth_type text,
  auth_ref text,
  source_ip text,
  duration integer NOT NULL,
  billed_duration integer NOT NULL,
  ring_duration integer NOT NULL DEFAULT 0,
  pdd_ms integer,
  sip_code integer NOT NULL,
  sip_reason text NOT NULL DEFAULT '',
  release_reason text NOT NULL DEFAULT '',
  dtmf text NOT NULL DEFAULT '',
  dest_code text,
  dest_name text,
  rate numeric(18, 6),
  connect_cost numeric(18, 6),
  charge numeric(18, 6) NOT NULL DEFAULT 0,
  currency text NOT NULL,
  carrier_id uuid,
  carrier_rate_card_id uuid,
  carrier_dest_code text,
  carrier_dest_name text,
  carrier_cost numeric(18, 6),
  carrier_currency text,
  rtp_server text,
  recording text,
  meta jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (operator_id, company_id, start_time, call_id)
) PARTITION BY RANGE (start_time);
CREATE INDEX cdrs_carrier ON cdrs (operator_id, carrier_id, start_time);

-- Idempotency across partitions: a call id is accepted once per operator.
CREATE TABLE cdr_ids (
  operator_id uuid NOT NULL,
  call_id text NOT NULL,
  start_time timestamptz NOT NULL,
  PRIMARY KEY (operator_id, call_id)
);

CREATE TABLE call_logs (
  operator_id uuid NOT NULL,
  call_id text NOT NULL,
  company_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts jsonb NOT NULL DEFAULT '[]',
  sip_messages jsonb NOT NULL DEFAULT '[]',
  rtcp jsonb,
  PRIMARY KEY (operator_id, call_id)
);
CREATE INDEX call_logs_created ON call_logs (operator_id, created_at);

-- Call charges per company, appended by each ingestion transaction (balance = payments - their sum) and
-- compacted into one row per company by the worker. Append-only, so concurrent batches never wait on each other.
CREATE TABLE company_usage (
  operator_id uuid NOT NULL,
  company_id uuid NOT NULL,
  call_charges numeric(20, 6) NOT NULL,
  compacted boolean NOT NULL DEFAULT false,
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
CREATE INDEX company_usage_company ON company_usage (operator_id, company_id);
CREATE INDEX company_usage_fresh ON company_usage (operator_id, company_id) WHERE NOT compacted;

-- Hourly rollup per company, destination and carrier. Each ingestion transaction appends its own aggregate
-- rows (so readers always sum); the worker compacts them to one row per key.
CREATE TABLE cdr_hourly (
  operator_id uuid NOT NULL,
  company_id uuid NOT NULL,
  hour timestamptz NOT NULL,
  dest_code text NOT NULL,
  dest_name text NOT NULL,
  carrier_id uuid NOT NULL,
  attempts bigint NOT NULL,
  connected bigint NOT NULL,
  duration bigint NOT NULL,
  billed_duration bigint NOT NULL,
  charge numeric(20, 6) NOT NULL,
  carrier_cost numeric(20, 6) NOT NULL,
  dtmf_calls bigint NOT NULL,
  pdd_ms_sum bigint NOT NULL,
  pdd_count bigint NOT NULL,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX cdr_hourly_company ON cdr_hourly (operator_id, company_id, hour);
CREATE INDEX cdr_hourly_fresh ON cdr_hourly (operator_id, company_id, hour) WHERE NOT compacted;
CREATE INDEX cdr_hourly_hour ON cdr_hourly (operator_id, hour);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['rate_cards', 'rate_card_revisions', 'rates', 'routes', 'dids', 'ip_auth', 'sip_users',
                           'cli_rules', 'registrations', 'active_calls', 'cdrs', 'cdr_ids', 'call_logs',
                           'company_usage', 'cdr_hourly'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (operator_id = app_operator_id()) '
                   'WITH CHECK (operator_id = app_operator_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO portal_app', t);
  END LOOP;
END $$;

-- Creates the month partition of cdrs holding ts, with the same row-level security; safe to call concurrently.
CREATE OR REPLACE FUNCTION ensure_cdr_partition(ts timestamptz) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  lo timestamptz := date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  hi timestamptz := lo + interval '1 month';
  name text := 'cdrs_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(727002);
  -- A concurrent transaction may have created it while we waited for the lock.
  BEGIN
    EXECUTE format('CREATE TABLE %I PARTITION OF cdrs FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
  EXCEPTION WHEN duplicate_table THEN
    RETURN;
  END;
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
  EXECUTE format('CREATE POLICY tenant ON %I USING (operator_id = app_operator_id()) '
                 'WITH CHECK (operator_id = app_operator_id())', name);
END $$;
REVOKE ALL ON FUNCTION ensure_cdr_partition(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_cdr_partition(timestamptz) TO portal_app;
