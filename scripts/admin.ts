/** Platform administration: `npm run admin -- create-operator --name "<name>" --email <email> --password <password>`. */
import { parseArgs } from 'node:util';
import { boot } from '../server/boot.ts';
import { loadEnv } from '../server/env.ts';
import { createOperator } from '../server/features/operators/operators.service.ts';
import { HttpError } from '../server/lib/errors.ts';
import { allOperatorIds, rebuildRollups } from '../server/telecom/rollups.ts';

const [command, ...rest] = process.argv.slice(2);
const usage = [
  'usage: npm run admin -- create-operator --name "<name>" --email <email> --password <password>',
  '       npm run admin -- rebuild-rollups [--operator <id>]',
].join('\n');

if (command === 'rebuild-rollups') {
  const { values } = parseArgs({ args: rest, options: { operator: { type: 'string' } } });
  const deps = await boot(loadEnv());
  try {
    for (const id of values.operator ? [values.operator] : await allOperatorIds(deps)) {
      const started = Date.now();
      const r = await rebuildRollups(deps, id);
      console.log(
        `${id}: ${r.hourly_rows} hourly rows, ${r.chart_slots} chart slots, ${r.companies} companies in ${Date.now() - started} ms`,
      );
    }
  } finally {
    await deps.db.close();
  }
  process.exit(0);
}
if (command !== 'create-operator') {
  console.error(usage);
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
});
if (!values.name || !values.email || !values.password) {
  console.error(usage);
  process.exit(2);
}
const deps = await boot(loadEnv());
try {
  const { operatorId } = await createOperator(deps, {
    name: values.name,
    email: values.email,
    password: values.password,
  });
  console.log(operatorId);
} catch (err) {
  console.error(err instanceof HttpError ? `error: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await deps.db.close();
}
