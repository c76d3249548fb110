/** Request shapes of the DID API. */
import { Type } from 'typebox';
import { closedObject } from '../authlists/schema-shape.ts';
import { DESTINATION_TYPES, type DestinationType } from './numbers.validate.ts';

const Uuid = Type.String({ format: 'uuid' });
const Tags = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 });

const fields = {
  number: Type.String({ minLength: 1, maxLength: 40 }),
  company_id: Type.Union([Type.Null(), Uuid]),
  destination_type: Type.Union(DESTINATION_TYPES.map((t) => Type.Literal(t))),
  destination: Type.String({ maxLength: 255 }),
  destination_locked: Type.Boolean(),
  tags: Tags,
  enabled: Type.Boolean(),
};

export const DidPatch = closedObject(fields);
export const DidCreate = closedObject(fields, ['number']);

export interface DidInput {
  number?: string;
  company_id?: string | null;
  destination_type?: DestinationType;
  destination?: string;
  destination_locked?: boolean;
  tags?: string[];
  enabled?: boolean;
}

export const DidBulk = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000 }),
    patch: Type.Object(
      {
        enabled: Type.Optional(fields.enabled),
        company_id: Type.Optional(fields.company_id),
        destination_type: Type.Optional(fields.destination_type),
        destination: Type.Optional(fields.destination),
        destination_locked: Type.Optional(fields.destination_locked),
        tags: Type.Optional(Tags),
        add_tags: Type.Optional(Tags),
        remove_tags: Type.Optional(Tags),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export interface DidBulkInput {
  ids: string[];
  patch: Omit<DidInput, 'number'> & { add_tags?: string[]; remove_tags?: string[] };
}

export const DidListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  company_id: Type.Optional(Type.Union([Uuid, Type.Literal('none')])),
  enabled: Type.Optional(Type.Boolean()),
  tag: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});

export interface DidListInput {
  q?: string;
  company_id?: string;
  enabled?: boolean;
  tag?: string;
  page: number;
  page_size: number;
}

export const DidParams = Type.Object({ id: Uuid });
