/** How carriers are named to customers: by alias unless the operator allows their real names. */
import type { Tx } from '../../db/db.ts';

export interface CarrierLabel {
  /** Stable, id-free key for a chart line ("carrier-2"): carrier ids are carrier-side data. */
  key: string;
  label: string;
}

/** Every carrier of the current operator, keyed by id. */
export async function carrierLabels(tx: Tx): Promise<Map<string, CarrierLabel>> {
  const rows = await tx.query<{
    id: string;
    name: string;
    carrier_alias: string | null;
    n: number | string;
    show: boolean | null;
  }>(
    `SELECT c.id, c.name, c.carrier_alias, row_number() OVER (ORDER BY c.created_at, c.id) AS n,
            (SELECT show_carrier_names FROM operators) AS show
       FROM companies c WHERE c.type = 'carrier'`,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        key: `carrier-${Number(r.n)}`,
        label: r.show ? r.name : (r.carrier_alias ?? `Carrier ${Number(r.n)}`),
      },
    ]),
  );
}
