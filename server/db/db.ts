/**
 * One database interface over two engines: embedded PGlite (default) or a PostgreSQL server.
 * Tenant work runs through withTenant, which drops to the non-superuser application role and pins
 * app.operator_id so row-level security filters every statement.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one parameterised statement. */
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Tx extends Queryable {
  /** Runs a multi-statement script inside the transaction (migrations). */
  exec(script: string): Promise<void>;
  /** COPY … FROM STDIN with the given text-format data (bulk loads). */
  copyFrom(copySql: string, data: string | Uint8Array): Promise<void>;
}

export interface TxOptions {
  snapshot?: boolean;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs fn in one transaction as the connection's own (owner) role; `snapshot` makes every statement of it
   * read the same snapshot (REPEATABLE READ, read only): reads that combine several statements.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TxOptions): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(script: string): Promise<void>;
  /** Subscribes to NOTIFY on a channel; returns an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The role every tenant transaction runs as; not a superuser, no BYPASSRLS. */
export const APP_ROLE = 'portal_app';

// int8 (counts, sums of integers) as JS numbers on the server driver, as PGlite already does.
pg.types.setTypeParser(20, (v) => Number(v));

export class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  private constructor(private readonly lite: PGlite) {}

  static async open(dataDir: string | null, loadDataDir?: Blob): Promise<PgliteDb> {
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    const lite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
    });
    return new PgliteDb(lite);
  }

  /** A tarball of the whole data directory (tests start from a migrated copy). */
  async dumpDataDir(): Promise<Blob> {
    return this.lite.dumpDataDir('none');
  }

  async query<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
    const r = await this.lite.query<T>(text, params);
    return r.rows;
  }

  // One connection: nothing commits while a transaction runs, so every transaction reads one snapshot already.
  async transaction<T>(fn: (tx: Tx) => Promise<T>, _opts?: TxOptions): Promise<T> {
    return this.lite.transaction(async (t) =>
      fn({
        query: async <R = Row>(text: string, params: unknown[] = []) => (await t.query<R>(text, params)).rows,
        exec: async (script: string) => {
          await t.exec(script);
        },
        copyFrom: async (copySql: string, data: string | Uint8Array) => {
          // PGlite reads COPY data from a virtual file, which needs the session's own (owner) role; the rows only
          // reach a staging table here, and the caller's role is back before anything else runs.
          const [{ role }] = (await t.query<{ role: string }>('SELECT current_user AS role')).rows as [
            { role: string },
          ];
          await t.exec('SET LOCAL ROLE NONE');
          try {
            await t.query(copySql.replace(/FROM STDIN/i, "FROM '/dev/blob'"), [], {
              blob: new Blob([data as string | Uint8Array<ArrayBuffer>]),
            });
          } finally {
            await t.query(`SELECT set_config('role', $1, true)`, [role]);
          }
        },
      }),
    );
  }

  async exec(script: string): Promise<void> {
    await this.lite.exec(script);
  }

  async listen(channel: string, onMessage: (payload: string) => void) {
    const unsub = await this.lite.listen(channel, onMessage);
    return async () => unsub();
  }

  async close(): Promise<void> {
    if (!this.lite.closed) await this.lite.close();
  }
}

export class PostgresDb implements Db {
  readonly engine = 'postgres' as const;
  private listener: pg.Client | null = null;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  async query<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
    const r = await this.pool.query(text, params);
    return r.rows as T[];
  }

  /** A named prepared statement: planned once per connection (hot-path lookups). */
  async prepared<T = Row>(name: string, text: string, params: unknown[]): Promise<T[]> {
    const r = await this.pool.query({ name, text, values: params });
    return r.rows as T[];
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TxOptions): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(opts?.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const result = await fn({
        query: async <R = Row>(text: string, params: unknown[] = []) =>
          (await client.query(text, params)).rows as R[],
        exec: async (script: string) => {
          await client.query(script);
        },
        copyFrom: async (copySql: string, data: string | Uint8Array) => {
          await pipeline(Readable.from([data]), client.query(copyFrom(copySql)));
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async listen(channel: string, onMessage: (payload: string) => void) {
    if (!this.listener) {
      this.listener = new pg.Client({ connectionString: this.url });
      await this.listener.connect();
      this.listener.on('notification', (n) => {
        for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
      });
      this.listener.on('error', () => undefined);
    }
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    set.add(onMessage);
    return async () => {
      set.delete(onMessage);
    };
  }

  async close(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}

/** Opens the configured engine: a server when url is set, else PGlite in dataDir (null: in memory). */
export async function openDb(opts: {
  url: string | null;
  dataDir: string | null;
  poolSize?: number;
  loadDataDir?: Blob;
}): Promise<Db> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    pool.on('error', () => undefined);
    return new PostgresDb(pool, opts.url);
  }
  return PgliteDb.open(opts.dataDir, opts.loadDataDir);
}

/**
 * Runs fn in a transaction bound to one operator: the application role (RLS applies) and
 * app.operator_id set for this transaction only.
 */
export async function withTenant<T>(
  db: Db,
  operatorId: string,
  fn: (tx: Tx) => Promise<T>,
  opts?: TxOptions,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('role', $1, true), set_config('app.operator_id', $2, true)`, [
      APP_ROLE,
      operatorId,
    ]);
    return fn(tx);
  }, opts);
}

/**
 * One cross-tenant read without a transaction (session and host lookups on the hot path):
 * the same door as withSystem, one statement at a time.
 */
export async function querySystem<T = Row>(
  db: Db,
  text: string,
  params: unknown[] = [],
  name?: string,
): Promise<T[]> {
  return db.engine === 'postgres' && name
    ? (db as PostgresDb).prepared<T>(name, text, params)
    : db.query<T>(text, params);
}

/** The one visible door for cross-tenant work (host lookup, session lookup, sweeps, migrations). */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
