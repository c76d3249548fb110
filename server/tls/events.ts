/** Certificate changes reach this node's SNI cache directly and every other node through NOTIFY. */
import { EventEmitter } from 'node:events';
import type { Db } from '../db/db.ts';

export const CERT_CHANNEL = 'cert_changed';
const emitters = new WeakMap<Db, EventEmitter>();

/** The in-process emitter of one database handle ('change' with the hostname). */
export function certEvents(db: Db): EventEmitter {
  let e = emitters.get(db);
  if (!e) {
    e = new EventEmitter();
    e.setMaxListeners(50);
    emitters.set(db, e);
  }
  return e;
}

/** Tells every node that a hostname's certificate was stored, replaced or removed. */
export async function announceCertChange(db: Db, hostname: string): Promise<void> {
  certEvents(db).emit('change', hostname);
  if (db.engine === 'postgres') await db.query('SELECT pg_notify($1, $2)', [CERT_CHANNEL, hostname]);
}
