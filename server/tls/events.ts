/**
 * Certificate changes reach this node's TLS front directly (and the announcement waits until the front has
 * dropped the old context, so a deleted domain is not served once its deletion returns) and every other node
 * through NOTIFY.
 */
import type { Db } from '../db/db.ts';

export const CERT_CHANNEL = 'cert_changed';
type Listener = (hostname: string) => Promise<void> | void;
const listeners = new WeakMap<Db, Set<Listener>>();

/** Registers a listener for this database handle's certificate changes; returns its removal. */
export function onCertChange(db: Db, listener: Listener): () => void {
  let set = listeners.get(db);
  if (!set) {
    set = new Set();
    listeners.set(db, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/** Tells every node that a hostname's certificate was stored, replaced or removed. */
export async function announceCertChange(db: Db, hostname: string): Promise<void> {
  await Promise.all([...(listeners.get(db) ?? [])].map((l) => l(hostname)));
  if (db.engine === 'postgres') await db.query('SELECT pg_notify($1, $2)', [CERT_CHANNEL, hostname]);
}
