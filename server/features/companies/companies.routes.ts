/** /api/v1/console/companies: companies, their feature access, contacts, payments and balance. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../context.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import {
  CompanyCreate,
  type CompanyInput,
  CompanyListQuery,
  CompanyParams,
  CompanyPatch,
  ContactCreate,
  ContactParams,
  PageQuery,
  PasswordBody,
  PaymentCreate,
} from './companies.schema.ts';
import {
  companyAccess,
  createCompany,
  getCompany,
  listCompanies,
  updateCompany,
} from './companies.service.ts';
import { createContact, listContacts, resetContactPassword } from './contacts.service.ts';
import { createPayment, getBalance, listPayments, type PaymentInput } from './payments.service.ts';

type Id = { Params: { id: string } };

export async function registerCompanyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/companies',
    { schema: { summary: 'List companies', querystring: CompanyListQuery } },
    async (req) => listCompanies(consoleCtx(deps, req), req.query as Parameters<typeof listCompanies>[1]),
  );
  app.post(
    '/companies',
    { schema: { summary: 'Create a company', body: CompanyCreate } },
    async (req, reply) =>
      reply.status(201).send(await createCompany(consoleCtx(deps, req), req.body as CompanyInput)),
  );
  app.get<Id>('/companies/:id', { schema: { summary: 'One company', params: CompanyParams } }, async (req) =>
    getCompany(consoleCtx(deps, req), req.params.id),
  );
  app.patch<Id>(
    '/companies/:id',
    { schema: { summary: 'Change a company', params: CompanyParams, body: CompanyPatch } },
    async (req) => updateCompany(consoleCtx(deps, req), req.params.id, req.body as CompanyInput),
  );
  app.get<Id>(
    '/companies/:id/access',
    {
      schema: { summary: 'Every feature’s effective state for the company, and why', params: CompanyParams },
    },
    async (req) => companyAccess(consoleCtx(deps, req), req.params.id),
  );

  app.get<Id>(
    '/companies/:id/contacts',
    { schema: { summary: 'Contacts of a company', params: CompanyParams } },
    async (req) => listContacts(consoleCtx(deps, req), req.params.id),
  );
  app.post<Id & { Body: { name: string; email: string; password?: string } }>(
    '/companies/:id/contacts',
    { schema: { summary: 'Add a contact', params: CompanyParams, body: ContactCreate } },
    async (req, reply) =>
      reply.status(201).send(await createContact(consoleCtx(deps, req), req.params.id, req.body)),
  );
  app.post<{ Params: { id: string; contactId: string }; Body: { password: string } }>(
    '/companies/:id/contacts/:contactId/reset-password',
    {
      schema: {
        summary: 'Set a contact’s password and end its sessions',
        params: ContactParams,
        body: PasswordBody,
      },
    },
    async (req, reply) => {
      await resetContactPassword(
        consoleCtx(deps, req),
        req.params.id,
        req.params.contactId,
        req.body.password,
      );
      return reply.status(204).send();
    },
  );

  app.get<Id>(
    '/companies/:id/payments',
    { schema: { summary: 'Payments of a company', params: CompanyParams, querystring: PageQuery } },
    async (req) => {
      const q = req.query as { page: number; page_size: number };
      return listPayments(consoleCtx(deps, req), req.params.id, q.page, q.page_size);
    },
  );
  app.post<Id>(
    '/companies/:id/payments',
    { schema: { summary: 'Record a payment', params: CompanyParams, body: PaymentCreate } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await createPayment(consoleCtx(deps, req), req.params.id, req.body as PaymentInput)),
  );
  app.get<Id>(
    '/companies/:id/balance',
    { schema: { summary: 'Balance of a company', params: CompanyParams } },
    async (req) => getBalance(consoleCtx(deps, req), req.params.id),
  );
}
