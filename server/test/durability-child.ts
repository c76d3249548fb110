/** Child process of durability.test.ts: commits one row, says so, then waits to be killed. */
import { openDb } from '../db/db.ts';

const [dataDir, value] = process.argv.slice(2);
const db = await openDb({ url: null, dataDir: dataDir!, poolSize: 1 });
await db.exec('CREATE TABLE IF NOT EXISTS durability (value text PRIMARY KEY)');
await db.transaction((tx) => tx.query('INSERT INTO durability (value) VALUES ($1)', [value]));
process.stdout.write('committed\n');
setInterval(() => undefined, 1000);
