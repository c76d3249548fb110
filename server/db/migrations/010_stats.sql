-- Carriers are shown to customers by alias unless the operator allows their names.
-- A carrier without an alias is shown as "Carrier <n>" (its rank among the operator's carriers).
ALTER TABLE companies ADD COLUMN carrier_alias text CHECK (length(carrier_alias) BETWEEN 1 AND 60);
ALTER TABLE operators ADD COLUMN show_carrier_names boolean NOT NULL DEFAULT false;

-- Charts read a customer's calls over a range: with the interval and DTMF fields in the index, that read is an
-- index-only scan of one contiguous key range instead of one heap page per call.
CREATE INDEX cdrs_company_stats ON cdrs (operator_id, company_id, start_time)
  INCLUDE (duration, ring_duration, pdd_ms, carrier_id, dtmf);
