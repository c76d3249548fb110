-- Ingestion COPYs new CDRs straight into their month partition (PostgreSQL refuses COPY FROM into a table under
-- row-level security, and INSERT … SELECT from a staging table cost a second pass over every row). The
-- partitions keep row-level security enabled with their tenant policy, but no longer FORCE it on their owner:
-- the application role has no privilege on any partition (tenant code reaches CDRs only through the parent
-- `cdrs`, whose policy is unchanged and still forced), and the one owner-side writer is the ingestion, which
-- writes the operator id of the authenticated token itself after checking every company against the tenant's
-- own rows.
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
  EXECUTE format('CREATE POLICY tenant ON %I USING (operator_id = app_operator_id()) '
                 'WITH CHECK (operator_id = app_operator_id())', name);
  EXECUTE format('REVOKE ALL ON %I FROM portal_app', name);
END $$;
REVOKE ALL ON FUNCTION ensure_cdr_partition(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_cdr_partition(timestamptz) TO portal_app;

DO $$
DECLARE p regclass;
BEGIN
  FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'cdrs'::regclass LOOP
    EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', p);
    EXECUTE format('REVOKE ALL ON %s FROM portal_app', p);
  END LOOP;
END $$;
