/** /api/v1/console/companies/:id/cli-rules: caller ID rules of a company, with a plain-English summary. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../context.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import {
  CliListQuery,
  CliRuleCreate,
  type CliRuleInput,
  CliRulePatch,
  CompanyParams,
  RuleParams,
} from './cli.schema.ts';
import { createCliRule, deleteCliRule, listCliRules, updateCliRule } from './cli.service.ts';

type Id = { Params: { id: string } };
type Rule = { Params: { id: string; ruleId: string } };

export async function registerCliRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<Id>(
    '/companies/:id/cli-rules',
    {
      schema: {
        summary: 'CLI rules of a company, with a plain-English explanation of their effect',
        params: CompanyParams,
        querystring: CliListQuery,
      },
    },
    async (req) =>
      listCliRules(
        consoleCtx(deps, req),
        req.params.id,
        req.query as { q?: string; page: number; page_size: number },
      ),
  );
  app.post<Id>(
    '/companies/:id/cli-rules',
    { schema: { summary: 'Add a CLI rule', params: CompanyParams, body: CliRuleCreate } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createCliRule(consoleCtx(deps, req), req.params.id, req.body as CliRuleInput)),
  );
  app.patch<Rule>(
    '/companies/:id/cli-rules/:ruleId',
    { schema: { summary: 'Change a CLI rule', params: RuleParams, body: CliRulePatch } },
    async (req) =>
      updateCliRule(consoleCtx(deps, req), req.params.id, req.params.ruleId, req.body as CliRuleInput),
  );
  app.delete<Rule>(
    '/companies/:id/cli-rules/:ruleId',
    { schema: { summary: 'Remove a CLI rule', params: RuleParams } },
    async (req, reply) => {
      await deleteCliRule(consoleCtx(deps, req), req.params.id, req.params.ruleId);
      return reply.status(204).send();
    },
  );
}
