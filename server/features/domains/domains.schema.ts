/** Request shapes of the domain (brand) API; semantic checks live in domains.validate.ts. */
import { Type } from 'typebox';

const PerUserType = Type.Object(
  {
    customer: Type.Array(Type.String(), { maxItems: 64 }),
    carrier: Type.Array(Type.String(), { maxItems: 64 }),
  },
  { additionalProperties: false },
);

export const SmtpIn = Type.Object(
  {
    host: Type.Union([Type.Null(), Type.String({ maxLength: 253 })]),
    port: Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 65535 })]),
    security: Type.Union([Type.Literal('none'), Type.Literal('starttls'), Type.Literal('tls')]),
    username: Type.Union([Type.Null(), Type.String({ maxLength: 254 })]),
    password: Type.Union([Type.Null(), Type.String({ maxLength: 1024 })]),
    from: Type.Union([Type.Null(), Type.String({ maxLength: 254 })]),
  },
  { additionalProperties: false },
);

const fields = {
  domain: Type.String({ minLength: 1, maxLength: 300 }),
  brand_name: Type.String({ minLength: 1, maxLength: 100 }),
  customer_signup: Type.Boolean(),
  carrier_signup: Type.Boolean(),
  currencies: Type.Array(Type.String({ maxLength: 3 }), { maxItems: 50 }),
  template_customer_id: Type.Union([Type.Null(), Type.String({ format: 'uuid' })]),
  features: Type.Record(Type.String(), Type.Boolean()),
  breakout_columns: PerUserType,
  cdr_fields: PerUserType,
  custom_js: Type.String({ maxLength: 65536 }),
  custom_css: Type.String({ maxLength: 65536 }),
  logo_file_id: Type.Union([Type.Null(), Type.String({ format: 'uuid' })]),
  footer: Type.String({ maxLength: 500 }),
  smtp: Type.Partial(SmtpIn),
};

export const DomainPatch = Type.Partial(Type.Object(fields, { additionalProperties: false }));
export const DomainCreate = Type.Intersect([
  Type.Object({ domain: fields.domain, brand_name: fields.brand_name }),
  DomainPatch,
]);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});

export const NoticeQuery = Type.Object({
  level: Type.Optional(Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')])),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const TestEmailBody = Type.Object({ to: Type.String({ minLength: 3, maxLength: 254 }) });

export type DomainInput = {
  domain?: string;
  brand_name?: string;
  customer_signup?: boolean;
  carrier_signup?: boolean;
  currencies?: string[];
  template_customer_id?: string | null;
  features?: Record<string, boolean>;
  breakout_columns?: { customer: string[]; carrier: string[] };
  cdr_fields?: { customer: string[]; carrier: string[] };
  custom_js?: string;
  custom_css?: string;
  logo_file_id?: string | null;
  footer?: string;
  smtp?: Partial<{
    host: string | null;
    port: number | null;
    security: 'none' | 'starttls' | 'tls';
    username: string | null;
    password: string | null;
    from: string | null;
  }>;
};
