-- Reports: the console lists CDRs across customers newest first (keyset on start_time, call_id); the primary key
-- leads with company_id, so that order needs its own index.
CREATE INDEX cdrs_time ON cdrs (operator_id, start_time, call_id);
