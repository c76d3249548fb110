-- company_usage receives a row per company from every ingestion batch. Its foreign key to companies checked each
-- of those rows with a FOR KEY SHARE lock on the company (a tuple lock, and a MultiXact when batches run side by
-- side): about a tenth of an ingestion transaction's time. Ingestion only writes companies it has just read in the
-- same transaction, so the key is dropped and what ON DELETE CASCADE did is done by a statement trigger.
ALTER TABLE company_usage DROP CONSTRAINT company_usage_operator_id_company_id_fkey;

CREATE FUNCTION company_usage_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_usage u USING gone g WHERE u.operator_id = g.operator_id AND u.company_id = g.id;
  RETURN NULL;
END $$;

CREATE TRIGGER company_usage_forget AFTER DELETE ON companies
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION company_usage_forget();
