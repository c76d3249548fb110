/** Row → API shape of a DID. */
import type { DestinationType } from './numbers.validate.ts';

export interface DidDto {
  id: string;
  number: string;
  company_id: string | null;
  /** Name of the owning company (read-only, for lists). */
  company_name: string | null;
  destination_type: DestinationType;
  destination: string;
  destination_locked: boolean;
  tags: string[];
  enabled: boolean;
  created_at: string;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export function presentDid(r: Record<string, unknown>): DidDto {
  return {
    id: String(r.id),
    number: String(r.number),
    company_id: (r.company_id as string | null) ?? null,
    company_name: (r.company_name as string | null | undefined) ?? null,
    destination_type: r.destination_type as DestinationType,
    destination: String(r.destination),
    destination_locked: Boolean(r.destination_locked),
    tags: (r.tags as string[]) ?? [],
    enabled: Boolean(r.enabled),
    created_at: iso(r.created_at),
  };
}
