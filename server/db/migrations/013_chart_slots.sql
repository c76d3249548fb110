-- Chart slots: per 5 minutes of UTC, what the charts need of a customer's calls (scope 'c', in total and per
-- carrier) and of a carrier's carried calls (scope 'r', in total): attempts, connected calls, talk seconds and
-- DTMF calls by start time; the busiest second (CPS); and the concurrent calls (channels), as the highest level
-- reached in the slot (the level it opens with included) and the level it closes with.
-- The fold marks the time each customer's and carrier's newly folded calls span as dirty (cdr_chart_dirty, one
-- merged window per key); the sweeper recomputes the slots of the oldest dirty half-day of every key from the
-- CDRs, piece by piece. Readers take the slots up to the earliest dirty or queued time of their key and the CDRs
-- after it, so charts are exact at commit time. A slot has a row when a call starts or ends in it; between rows
-- the level carries.
ALTER TABLE cdr_rollup_queue ADD COLUMN ring_duration integer NOT NULL DEFAULT 0;

CREATE TABLE cdr_chart_slots (
  operator_id uuid NOT NULL,
  scope text NOT NULL CHECK (scope IN ('c', 'r')),
  scope_id uuid NOT NULL,
  -- the nil UUID for the scope's total; a carrier's id for a customer's line per carrier
  carrier_id uuid NOT NULL,
  slot timestamptz NOT NULL,
  attempts integer NOT NULL,
  connected integer NOT NULL,
  duration bigint NOT NULL,
  dtmf_calls integer NOT NULL,
  cps_peak integer NOT NULL,
  chan_peak integer NOT NULL,
  chan_close integer NOT NULL,
  PRIMARY KEY (operator_id, scope, scope_id, carrier_id, slot)
);
ALTER TABLE cdr_chart_slots ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdr_chart_slots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON cdr_chart_slots USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON cdr_chart_slots TO portal_app;

-- Where the slots of a key are stale: [w, e), widened by each fold, narrowed by the sweeper.
CREATE TABLE cdr_chart_dirty (
  operator_id uuid NOT NULL,
  scope text NOT NULL CHECK (scope IN ('c', 'r')),
  scope_id uuid NOT NULL,
  w timestamptz NOT NULL,
  e timestamptz NOT NULL,
  PRIMARY KEY (operator_id, scope, scope_id)
);
ALTER TABLE cdr_chart_dirty ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdr_chart_dirty FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON cdr_chart_dirty USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON cdr_chart_dirty TO portal_app;
