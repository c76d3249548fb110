/**
 * A closed request object from a field map: the named fields required, every other one optional,
 * unknown properties refused (Type.Partial does not keep additionalProperties).
 */
import { type TSchema, Type } from 'typebox';

export function closedObject(fields: Record<string, TSchema>, required: readonly string[] = []) {
  return Type.Object(
    Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, required.includes(k) ? v : Type.Optional(v)]),
    ),
    { additionalProperties: false },
  );
}
