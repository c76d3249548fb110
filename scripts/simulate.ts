/**
 * Simulated traffic for an operator, ingested like a switch would send it:
 * `npm run simulate -- --operator <id> --days 30 --calls 100000 [--seed 1] [--batch 5000] [--parallel 1]`.
 * Honours DATABASE_URL / DATA_DIR like the server. The window ends now unless --to says otherwise; the same
 * arguments with the same --to generate the same calls, so such a re-run is counted as duplicates.
 */
import { parseArgs } from 'node:util';
import { boot } from '../server/boot.ts';
import { withSystem } from '../server/db/db.ts';
import { loadEnv } from '../server/env.ts';
import { ingestCdrs, MAX_BATCH } from '../server/telecom/ingest.ts';
import { type LoadedTraffic, loadTrafficSpec } from '../server/telecom/simulator/config.ts';
import { type CdrRow, generateCalls } from '../server/telecom/simulator/generate.ts';

const usage =
  'usage: npm run simulate -- --operator <id> [--days 30] [--calls 100000] [--seed 1] [--batch 5000] [--parallel 1] [--to <ISO time>]';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      operator: { type: 'string' },
      days: { type: 'string', default: '30' },
      calls: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      batch: { type: 'string', default: '5000' },
      parallel: { type: 'string', default: '1' },
      to: { type: 'string' },
    },
  }));
} catch (err) {
  fail(`${(err as Error).message}\n${usage}`);
}

const operatorId = values.operator ?? '';
const days = Number(values.days);
const calls = Number(values.calls);
const batchSize = Number(values.batch);
const parallel = Number(values.parallel);
const to = values.to ? new Date(values.to) : new Date();
const seed = /^\d+$/.test(values.seed!) ? Number(values.seed) : values.seed!;
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(operatorId))
  fail(`--operator must be an operator id (UUID)\n${usage}`);
if (!(days > 0 && days <= 3660)) fail(`--days must be a number of days above 0\n${usage}`);
if (!Number.isInteger(calls) || calls < 1) fail(`--calls must be a whole number above 0\n${usage}`);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH)
  fail(`--batch must be 1 to ${MAX_BATCH}\n${usage}`);
if (!Number.isInteger(parallel) || parallel < 1 || parallel > 32)
  fail(`--parallel must be 1 to 32\n${usage}`);
if (Number.isNaN(to.getTime())) fail(`--to must be an ISO 8601 time\n${usage}`);

const deps = await boot(loadEnv());
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  const [operator] = await withSystem(deps.db, (tx) =>
    tx.query<{ name: string }>('SELECT name FROM operators WHERE id = $1', [operatorId]),
  );
  if (!operator) {
    console.error(`error: there is no operator ${operatorId}`);
    process.exitCode = 2;
  } else {
    const spec = await loadTrafficSpec(deps, operatorId);
    if (!spec) {
      console.error(
        `Operator “${operator.name}” has no routes with rates: create a rate card, import its rates and give a customer a route first.`,
      );
      process.exitCode = 2;
    } else {
      const from = new Date(to.getTime() - days * 86_400_000);
      console.log(
        `Simulating ${fmt(calls)} calls for “${operator.name}” from ${from.toISOString()} to ${to.toISOString()}: ` +
          `${spec.customers.length} customers, ${spec.destinations.length} destinations, ${spec.carriers.length} carriers, seed ${seed}`,
      );
      await run(spec, from);
    }
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await deps.db.close();
}

async function run(spec: LoadedTraffic, from: Date) {
  const started = performance.now();
  let generatedMs = 0;
  let done = 0;
  let accepted = 0;
  let duplicates = 0;
  let errors = 0;
  const firstErrors = new Map<string, string>();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const progress = (final = false) => {
    const now = performance.now();
    if (!final && now - lastPrint < (tty ? 200 : 5000)) return;
    lastPrint = now;
    const secs = (now - started) / 1000;
    const line = `  ${fmt(done)} / ${fmt(calls)} calls (${Math.floor((100 * done) / calls)} %) · ${fmt(done / secs)} rows/s · ${fmt(duplicates)} duplicates · ${fmt(errors)} errors`;
    if (tty) process.stderr.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };

  const inFlight = new Set<Promise<void>>();
  const send = (rows: CdrRow[]) => {
    const p = ingestCdrs(deps, operatorId, rows).then((r) => {
      accepted += r.accepted;
      duplicates += r.duplicates;
      errors += r.errors.length;
      for (const e of r.errors)
        if (firstErrors.size < 5 && !firstErrors.has(e.error)) firstErrors.set(e.error, e.message);
      done += rows.length;
      progress();
    });
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return tracked;
  };

  const it = generateCalls({ ...spec, seed, from, to, count: calls })[Symbol.iterator]();
  for (;;) {
    const t0 = performance.now();
    const rows: CdrRow[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      rows.push(r.value);
      if (rows.length >= batchSize) break;
    }
    generatedMs += performance.now() - t0;
    if (rows.length === 0) break;
    send(rows);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  progress(true);
  const secs = (performance.now() - started) / 1000;
  console.log(
    `Ingested ${fmt(calls)} calls in ${secs.toFixed(1)} s: ${fmt(calls / secs)} rows/s ` +
      `(accepted ${fmt(accepted)}, duplicates ${fmt(duplicates)}, errors ${fmt(errors)}; generation alone ${fmt((calls * 1000) / Math.max(1, generatedMs))} rows/s)`,
  );
  for (const [code, message] of firstErrors) console.log(`  ${code}: ${message}`);
  if (accepted + duplicates === 0) process.exitCode = 1;
}
