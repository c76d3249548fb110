-- Call recordings: the audio of a CDR, uploaded by the switch and played or downloaded in the portal.
--
-- The bytes live in the database (bytea), not in files under the data folder: web nodes are stateless and any
-- node must serve any request (ARCHITECTURE "Scale-out"), row-level security guards the audio like every other
-- tenant row, a recording and its CDR reference are written in one transaction, and backups stay one dump.
-- Recordings are capped at 50 MB (about an hour of 8 kHz mono PCM), well under bytea's 1 GB limit. The column is
-- stored EXTERNAL (out of line, uncompressed): audio barely compresses, and it lets substring() read only the
-- TOAST chunks of the requested byte range, so Range requests and chunked streaming never load the whole value.
CREATE TABLE call_recordings (
  operator_id uuid NOT NULL,
  call_id text NOT NULL,
  company_id uuid NOT NULL,
  start_time timestamptz NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('audio/wav', 'audio/mpeg', 'audio/ogg', 'audio/webm',
                                                     'audio/flac', 'audio/mp4', 'audio/aac')),
  size integer NOT NULL CHECK (size BETWEEN 1 AND 52428800),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  data bytea NOT NULL,
  PRIMARY KEY (operator_id, call_id),
  FOREIGN KEY (operator_id, call_id) REFERENCES cdr_ids (operator_id, call_id) ON DELETE CASCADE,
  FOREIGN KEY (operator_id, company_id) REFERENCES companies (operator_id, id) ON DELETE CASCADE
);
ALTER TABLE call_recordings ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX call_recordings_company ON call_recordings (operator_id, company_id, start_time);

ALTER TABLE call_recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE call_recordings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON call_recordings USING (operator_id = app_operator_id())
  WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON call_recordings TO portal_app;
