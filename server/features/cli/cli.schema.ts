/** Request shapes of the CLI (caller ID) rule API. */
import { Type } from 'typebox';
import { closedObject } from '../authlists/schema-shape.ts';
import type { CliRuleKind } from './cli.explain.ts';

const Uuid = Type.String({ format: 'uuid' });

const fields = {
  kind: Type.Union([Type.Literal('forced'), Type.Literal('allow')]),
  pattern: Type.String({ minLength: 1, maxLength: 64 }),
  replacement: Type.String({ maxLength: 40 }),
};

export const CliRulePatch = closedObject(fields);
export const CliRuleCreate = closedObject(fields, ['kind', 'pattern']);

export interface CliRuleInput {
  kind?: CliRuleKind;
  pattern?: string;
  replacement?: string;
}

export const CliListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
});

export const CompanyParams = Type.Object({ id: Uuid });
export const RuleParams = Type.Object({ id: Uuid, ruleId: Uuid });
