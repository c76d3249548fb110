/** Entry point: boots the platform, seeds the demo on an empty embedded database, listens. */
import { buildApp } from './app.ts';
import { boot } from './boot.ts';
import { seedDemo } from './demo/seed.ts';
import { loadEnv } from './env.ts';
import { registerJobHandlers } from './jobs/handlers.ts';
import { JobRunner } from './jobs/queue.ts';
import { compactAll, RollupFolder } from './telecom/rollups.ts';
import { startDemo } from './telecom/simulator/demo.ts';
import { startHttpsServer } from './tls/https.ts';

const started = Date.now();
const env = loadEnv();
const deps = await boot(env);
if (env.demo) await seedDemo(deps);
const app = await buildApp(deps);
await app.listen({ port: env.port, host: env.host });
// HTTPS with SNI: each portal domain with its own certificate (issued by the worker, never on a handshake).
const httpsListener = env.httpsPort
  ? await startHttpsServer(app, deps, { port: env.httpsPort, host: env.host })
  : null;

const port = env.port === 80 ? '' : `:${env.port}`;
const lines = [
  '',
  `  Platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${deps.db.engine === 'pglite' ? `embedded database in ${env.dataDir}` : 'PostgreSQL server'})`,
  `  Control Panel:  http://${env.consoleHost}${port}`,
];
if (env.demo) {
  lines.push(
    `    operator      admin@demo.test / demo-admin-pass`,
    `  Demo Telecom:   http://portal.localhost${port}`,
    `    customer      alice@acme.test / demo-alice-pass`,
    `  Nimbus Voice:   http://voice.localhost${port}`,
    `    customer      bob@globex.test / demo-bob-pass`,
  );
}
console.log(`${lines.join('\n')}\n`);

// The worker folds the CDRs queued by ingestion into the rollup stores as soon as a batch announces them (on any
// node, through NOTIFY), and every 30 seconds merges the usage counters and folds anything left over.
const folder = env.services.includes('worker')
  ? new RollupFolder(deps, (err) => app.log.error(err, 'rollup fold failed'))
  : null;
await folder?.start();
const compactor = folder
  ? setInterval(() => {
      compactAll(deps, (id) => folder.waiting(id)).catch((err) =>
        app.log.error(err, 'rollup compaction failed'),
      );
    }, 30_000)
  : null;

// The worker runs the background jobs (mail, DNS checks, certificates) queued in the database.
const jobs = env.services.includes('worker')
  ? registerJobHandlers(
      new JobRunner(deps, { onError: (err, job) => app.log.warn({ err, job: job?.kind }, 'job failed') }),
    )
  : null;
await jobs?.start();

// Demo traffic (a week of backfill on first start, then live calls) runs in the background.
const stopDemo = env.demo ? await startDemo(deps, (msg) => app.log.info(msg)) : null;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (compactor) clearInterval(compactor);
    await folder?.stop();
    await jobs?.stop();
    await stopDemo?.();
    await httpsListener?.close();
    await app.close();
    await deps.db.close();
    process.exit(0);
  });
}
