-- Durable job queue: background work (mail, DNS checks, certificate orders, renewals) survives restarts,
-- is retried with backoff and is claimed by exactly one node (FOR UPDATE SKIP LOCKED).

CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  operator_id uuid REFERENCES operators (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,62}$'),
  -- At most one unfinished job per (kind, key): enqueueing the same work twice is a no-op.
  key text,
  payload jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE UNIQUE INDEX jobs_active_key ON jobs (kind, key) WHERE state IN ('queued', 'running') AND key IS NOT NULL;
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_operator ON jobs (operator_id, created_at DESC);

-- Operators see (and may enqueue) their own jobs; the worker runs them as the system.
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON jobs USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO portal_app;
GRANT USAGE ON SEQUENCE jobs_id_seq TO portal_app;
