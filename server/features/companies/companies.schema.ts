/** Request shapes of the company, contact and payment API. */
import { Type } from 'typebox';

const Decimal = Type.String({ pattern: '^-?\\d{1,14}(\\.\\d{1,4})?$', maxLength: 20 });
// null = unlimited. A nullable type rather than anyOf: with type coercion on, anyOf would turn null into 0.
const Limit = (description: string) =>
  Type.Unsafe<number | null>({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 1_000_000,
    description,
  });

const fields = {
  type: Type.Union([Type.Literal('customer'), Type.Literal('carrier')]),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('pending_approval'),
    Type.Literal('suspended'),
    Type.Literal('closed'),
  ]),
  currency: Type.String({ minLength: 3, maxLength: 3 }),
  debit_limit: Decimal,
  domain_id: Type.Union([Type.Null(), Type.String({ format: 'uuid' })]),
  portal_access: Type.Boolean(),
  show: Type.Array(Type.String(), { maxItems: 100 }),
  hide: Type.Array(Type.String(), { maxItems: 100 }),
  channels: Limit(
    'Concurrent calls of the whole customer (null = unlimited); the channels of its SIP users must fit in it',
  ),
  cps: Limit('New calls per second of the whole customer, a.k.a. flow speed (null = unlimited)'),
};

export const CompanyPatch = Type.Partial(Type.Object(fields, { additionalProperties: false }));
export const CompanyCreate = Type.Intersect([
  Type.Object({ type: fields.type, name: fields.name, currency: fields.currency }),
  CompanyPatch,
]);

export type CompanyInput = {
  type?: 'customer' | 'carrier';
  name?: string;
  status?: 'active' | 'pending_approval' | 'suspended' | 'closed';
  currency?: string;
  debit_limit?: string;
  domain_id?: string | null;
  portal_access?: boolean;
  show?: string[];
  hide?: string[];
  channels?: number | null;
  cps?: number | null;
};

export const CompanyListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  type: Type.Optional(fields.type),
  status: Type.Optional(fields.status),
  domain_id: Type.Optional(Type.String({ format: 'uuid' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});

export const ContactCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const PasswordBody = Type.Object({ password: Type.String({ minLength: 10, maxLength: 1024 }) });

export const PaymentCreate = Type.Object(
  {
    amount: Decimal,
    currency: Type.String({ minLength: 3, maxLength: 3 }),
    method: Type.String({ minLength: 1, maxLength: 40 }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('cancelled')]),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const CompanyParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ContactParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contactId: Type.String({ format: 'uuid' }),
});
export const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});
