/**
 * Demo call recordings: short synthesised WAV files stored (through the same service as the ingestion API) for
 * Acme's calls that the simulated switch recorded and for its latest answered calls, so the portal's player has
 * something to play. Only for companies whose brand lets them see recordings.
 */
import { effectiveFeatures, type UserType } from '../../../common/features.ts';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { storeRecording } from '../../features/recordings/recordings.service.ts';
import { HttpError } from '../../lib/errors.ts';
import type { CdrRow } from './generate.ts';
import { syntheticCallWav } from './wav.ts';

/** The demo customers whose calls get audio (Alice's company). */
export const DEMO_RECORDED_COMPANIES = ['Acme Corp'];
/** How many of the latest answered calls get audio even without a switch reference. */
export const DEMO_LATEST_RECORDINGS = 8;

/** Ids of the named companies whose effective portal features include `recording`. */
export async function recordingCompanies(
  deps: Deps,
  operatorId: string,
  names: readonly string[] = DEMO_RECORDED_COMPANIES,
): Promise<Set<string>> {
  const rows = await withTenant(deps.db, operatorId, (tx) =>
    tx.query<{
      id: string;
      type: UserType;
      show: string[];
      hide: string[];
      features: Record<string, boolean> | null;
    }>(
      `SELECT co.id::text AS id, co.type, co.show, co.hide, d.features
         FROM companies co LEFT JOIN portal_domains d ON d.operator_id = co.operator_id AND d.id = co.domain_id
        WHERE co.name = ANY($1::text[])`,
      [names],
    ),
  );
  return new Set(
    rows
      .filter((r) =>
        effectiveFeatures({
          userType: r.type,
          domainFeatures: r.features ?? {},
          show: r.show,
          hide: r.hide,
        }).includes('recording'),
      )
      .map((r) => r.id),
  );
}

async function attach(deps: Deps, operatorId: string, callIds: readonly string[]): Promise<number> {
  let stored = 0;
  for (const callId of callIds) {
    try {
      await storeRecording(deps, operatorId, callId, 'audio/wav', syntheticCallWav(callId));
      stored++;
    } catch (err) {
      // A CDR the ingestion refused has nothing to attach to.
      if (!(err instanceof HttpError && err.code === 'unknown_call')) throw err;
    }
  }
  return stored;
}

/**
 * Gives audio to the recorded companies' answered calls that carry a recording reference, and to their latest
 * answered calls; calls that already have audio are left alone, so running it again adds nothing.
 */
export async function attachDemoRecordings(
  deps: Deps,
  operatorId: string,
  latest = DEMO_LATEST_RECORDINGS,
): Promise<number> {
  const companies = [...(await recordingCompanies(deps, operatorId))];
  if (!companies.length) return 0;
  const rows = await withTenant(deps.db, operatorId, (tx) =>
    tx.query<{ call_id: string }>(
      `WITH latest AS (
         SELECT call_id FROM (
           SELECT c.call_id, row_number() OVER (PARTITION BY c.company_id ORDER BY c.start_time DESC) AS n
             FROM cdrs c WHERE c.company_id = ANY($1::uuid[]) AND c.duration > 0) x
          WHERE n <= $2),
       referenced AS (
         SELECT c.call_id FROM cdrs c
          WHERE c.company_id = ANY($1::uuid[]) AND c.duration > 0 AND c.recording IS NOT NULL)
       SELECT call_id FROM (SELECT call_id FROM latest UNION SELECT call_id FROM referenced) s
        WHERE NOT EXISTS (SELECT 1 FROM call_recordings r WHERE r.call_id = s.call_id)
        ORDER BY call_id`,
      [companies, latest],
    ),
  );
  return attach(
    deps,
    operatorId,
    rows.map((r) => r.call_id),
  );
}

/** Live traffic: audio for the just-ingested answered calls of recorded companies that the switch recorded. */
export async function attachLiveRecordings(
  deps: Deps,
  operatorId: string,
  companies: ReadonlySet<string>,
  cdrs: readonly CdrRow[],
): Promise<number> {
  const ids = cdrs
    .filter((c) => companies.has(c.company_id) && c.duration > 0 && c.recording)
    .map((c) => c.call_id);
  return ids.length ? attach(deps, operatorId, ids) : 0;
}
