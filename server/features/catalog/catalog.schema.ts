/** Request shapes of alerts, packages and contracts (with their assignments to companies). */
import { type TSchema, Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Decimal = Type.String({ pattern: '^-?\\d{1,14}(\\.\\d{1,4})?$', maxLength: 20 });
const Money = Type.String({ pattern: '^\\d{1,14}(\\.\\d{1,4})?$', maxLength: 20 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
// Nullable without anyOf, so a JSON null is never mistaken for another type.
const nullable = (schema: Record<string, unknown>) =>
  Type.Unsafe<never>({ ...schema, nullable: true }) as unknown as TSchema;
const NullableInt = (min: number, max: number) => nullable({ type: 'integer', minimum: min, maximum: max });

/** A body with the given fields, of which `required` must be present; nothing else is accepted. */
function bodyOf(fields: Record<string, TSchema>, required: string[]) {
  const props: Record<string, TSchema> = {};
  for (const [k, v] of Object.entries(fields)) props[k] = required.includes(k) ? v : Type.Optional(v);
  return Type.Object(props, { additionalProperties: false });
}

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
};

export const IdParams = Type.Object({ id: Uuid });

// ---- alerts
const alertFields = {
  title: Type.String({ minLength: 1, maxLength: 100 }),
  recipient: nullable({ type: 'string', maxLength: 254 }),
  area: Type.Union(['balance', 'asr', 'acd', 'pdd', 'cps', 'channels'].map((a) => Type.Literal(a))),
  comparator: Type.Union(['<', '>', '='].map((a) => Type.Literal(a))),
  threshold: Decimal,
  reset_threshold: nullable({ type: 'string', pattern: '^-?\\d{1,14}(\\.\\d{1,4})?$', maxLength: 20 }),
  sample_minutes: NullableInt(1, 1440),
  penalty_minutes: NullableInt(1, 10080),
  repeat_minutes: NullableInt(1, 10080),
  notice_level: Type.Union([Type.Literal('warning'), Type.Literal('error')]),
  enabled: Type.Boolean(),
};
export const AlertPatch = Type.Partial(Type.Object(alertFields, { additionalProperties: false }));
export const AlertCreate = bodyOf({ company_id: Uuid, ...alertFields }, [
  'company_id',
  'title',
  'area',
  'comparator',
  'threshold',
]);
export const AlertListQuery = Type.Object({
  company_id: Type.Optional(Uuid),
  area: Type.Optional(alertFields.area),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  ...PageQuery,
});
export interface AlertInput {
  company_id?: string;
  title?: string;
  recipient?: string | null;
  area?: string;
  comparator?: string;
  threshold?: string;
  reset_threshold?: string | null;
  sample_minutes?: number | null;
  penalty_minutes?: number | null;
  repeat_minutes?: number | null;
  notice_level?: 'warning' | 'error';
  enabled?: boolean;
}

// ---- packages
const packageFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 2000 }),
  type: Type.Union([Type.Literal('standard'), Type.Literal('free_minutes')]),
  currency: Type.String({ minLength: 3, maxLength: 3 }),
  cost: Money,
  retail: Money,
  setup_cost: Money,
  setup_retail: Money,
  frequency: Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]),
  frequency_match: Type.Array(Type.Integer({ minimum: 1, maximum: 31 }), { maxItems: 31 }),
  minimum_days: Type.Integer({ minimum: 0, maximum: 3650 }),
  destination_regex: nullable({ type: 'string', maxLength: 200 }),
  free_minutes: NullableInt(0, 100_000_000),
  minimum_spend: nullable({ type: 'string', pattern: '^\\d{1,14}(\\.\\d{1,4})?$', maxLength: 20 }),
};
export const PackagePatch = Type.Partial(Type.Object(packageFields, { additionalProperties: false }));
export const PackageCreate = bodyOf(packageFields, ['name', 'currency']);
export const PackageListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  ...PageQuery,
});
export interface PackageInput {
  name?: string;
  description?: string;
  type?: 'standard' | 'free_minutes';
  currency?: string;
  cost?: string;
  retail?: string;
  setup_cost?: string;
  setup_retail?: string;
  frequency?: 'daily' | 'weekly' | 'monthly';
  frequency_match?: number[];
  minimum_days?: number;
  destination_regex?: string | null;
  free_minutes?: number | null;
  minimum_spend?: string | null;
}

const packageAssignmentFields = {
  quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
  start_date: Day,
  end_date: nullable({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 }),
  auto_decrement: Type.Boolean(),
};
export const PackageAssignmentPatch = Type.Partial(
  Type.Object(packageAssignmentFields, { additionalProperties: false }),
);
export const PackageAssignmentCreate = bodyOf({ package_id: Uuid, ...packageAssignmentFields }, [
  'package_id',
]);
export interface PackageAssignmentInput {
  package_id?: string;
  quantity?: number;
  start_date?: string;
  end_date?: string | null;
  auto_decrement?: boolean;
}
export const PackageAssignmentParams = Type.Object({ id: Uuid, packageAssignmentId: Uuid });

// ---- contracts
export const ContractCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: 200000 }),
  },
  { additionalProperties: false },
);
export const ContractPatch = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const RevisionCreate = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 200000 }) },
  { additionalProperties: false },
);
export const ContractListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  ...PageQuery,
});

const contractAssignmentFields = {
  grace_date: nullable({ type: 'string', format: 'date-time', maxLength: 40 }),
  required: Type.Boolean(),
};
export const ContractAssignmentCreate = bodyOf({ contract_id: Uuid, ...contractAssignmentFields }, [
  'contract_id',
]);
export const ContractAssignmentPatch = Type.Partial(
  Type.Object(
    {
      ...contractAssignmentFields,
      // true moves the assignment to the contract's latest revision, which needs approving again.
      latest_revision: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
);
export interface ContractAssignmentInput {
  contract_id?: string;
  grace_date?: string | null;
  required?: boolean;
  latest_revision?: boolean;
}
export const ContractAssignmentParams = Type.Object({ id: Uuid, contractAssignmentId: Uuid });
