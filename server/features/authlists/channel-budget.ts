/**
 * The SIP channel budget: the channels given to a company's SIP users add up to at most the company's
 * channel limit. A user without a channel count of its own (null) reserves nothing: it shares whatever the
 * company limit leaves at call time. Checks lock the company row, so concurrent changes of the same company's
 * SIP users or limit run one after the other and cannot overshoot the limit together.
 */
import type { Tx } from '../../db/db.ts';
import { conflict, notFound } from '../../lib/errors.ts';

/** Locks the company row until the transaction ends and returns its channel limit (null = unlimited). */
export async function lockCompanyChannels(tx: Tx, companyId: string): Promise<number | null> {
  const rows = await tx.query<{ channels: number | null }>(
    'SELECT channels FROM companies WHERE id = $1 FOR UPDATE',
    [companyId],
  );
  if (!rows[0]) throw notFound('Company');
  return rows[0].channels == null ? null : Number(rows[0].channels);
}

/** Channels reserved by the company's SIP users, leaving out one user (the one being changed). */
export async function allocatedChannels(tx: Tx, companyId: string, exceptUserId?: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `SELECT coalesce(sum(channels), 0)::int AS n FROM sip_users
      WHERE company_id = $1 AND ($2::uuid IS NULL OR id <> $2)`,
    [companyId, exceptUserId ?? null],
  );
  return row?.n ?? 0;
}

/**
 * Refuses giving `channels` to a SIP user (new, or `userId`) when it does not fit in the company's limit.
 * Call with the company row locked by lockCompanyChannels in the same transaction.
 */
export async function checkSipChannels(
  tx: Tx,
  companyId: string,
  limit: number | null,
  channels: number | null,
  userId?: string,
): Promise<void> {
  if (limit === null || channels === null) return;
  const others = await allocatedChannels(tx, companyId, userId);
  if (others + channels > limit)
    throw conflict(
      'no_channel_capacity',
      `No channel capacity available for your account: the limit is ${limit} channels, other SIP users hold ${others}, so at most ${Math.max(0, limit - others)} are left`,
      { field: 'channels', limit, allocated: others },
    );
}
