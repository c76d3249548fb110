/** /api/v1/console: alerts, packages, contracts and their assignments to companies. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../context.ts';
import { consoleCtx } from '../../plugins/scopes.ts';
import { createAlert, deleteAlert, getAlert, listAlerts, updateAlert } from './alerts.service.ts';
import {
  AlertCreate,
  type AlertInput,
  AlertListQuery,
  AlertPatch,
  ContractAssignmentCreate,
  type ContractAssignmentInput,
  ContractAssignmentParams,
  ContractAssignmentPatch,
  ContractCreate,
  ContractListQuery,
  ContractPatch,
  IdParams,
  PackageAssignmentCreate,
  type PackageAssignmentInput,
  PackageAssignmentParams,
  PackageAssignmentPatch,
  PackageCreate,
  type PackageInput,
  PackageListQuery,
  PackagePatch,
  RevisionCreate,
} from './catalog.schema.ts';
import {
  addRevision,
  assignContract,
  createContract,
  deleteContract,
  getContract,
  listContractAssignments,
  listContracts,
  renameContract,
  unassignContract,
  updateContractAssignment,
} from './contracts.service.ts';
import {
  assignPackage,
  createPackage,
  deletePackage,
  getPackage,
  listPackageAssignments,
  listPackages,
  unassignPackage,
  updatePackage,
  updatePackageAssignment,
} from './packages.service.ts';

type Id = { Params: { id: string } };
type Paged = { page: number; page_size: number };

export async function registerCatalogRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const ctx = (req: Parameters<typeof consoleCtx>[1]) => consoleCtx(deps, req);
  const tags = { tags: ['catalog'] };

  // ---- alerts
  app.get(
    '/alerts',
    { schema: { ...tags, summary: 'List alerts', querystring: AlertListQuery } },
    async (req) =>
      listAlerts(ctx(req), req.query as Paged & { company_id?: string; area?: string; q?: string }),
  );
  app.post(
    '/alerts',
    { schema: { ...tags, summary: 'Create an alert', body: AlertCreate } },
    async (req, reply) => reply.status(201).send(await createAlert(ctx(req), req.body as AlertInput)),
  );
  app.get<Id>('/alerts/:id', { schema: { ...tags, summary: 'One alert', params: IdParams } }, async (req) =>
    getAlert(ctx(req), req.params.id),
  );
  app.patch<Id>(
    '/alerts/:id',
    { schema: { ...tags, summary: 'Change an alert', params: IdParams, body: AlertPatch } },
    async (req) => updateAlert(ctx(req), req.params.id, req.body as AlertInput),
  );
  app.delete<Id>(
    '/alerts/:id',
    { schema: { ...tags, summary: 'Delete an alert', params: IdParams } },
    async (req, reply) => {
      await deleteAlert(ctx(req), req.params.id);
      return reply.status(204).send();
    },
  );

  // ---- packages
  app.get(
    '/packages',
    { schema: { ...tags, summary: 'List packages', querystring: PackageListQuery } },
    async (req) => listPackages(ctx(req), req.query as Paged & { q?: string }),
  );
  app.post(
    '/packages',
    { schema: { ...tags, summary: 'Create a package', body: PackageCreate } },
    async (req, reply) => reply.status(201).send(await createPackage(ctx(req), req.body as PackageInput)),
  );
  app.get<Id>(
    '/packages/:id',
    { schema: { ...tags, summary: 'One package', params: IdParams } },
    async (req) => getPackage(ctx(req), req.params.id),
  );
  app.patch<Id>(
    '/packages/:id',
    { schema: { ...tags, summary: 'Change a package', params: IdParams, body: PackagePatch } },
    async (req) => updatePackage(ctx(req), req.params.id, req.body as PackageInput),
  );
  app.delete<Id>(
    '/packages/:id',
    { schema: { ...tags, summary: 'Delete a package that is assigned to nobody', params: IdParams } },
    async (req, reply) => {
      await deletePackage(ctx(req), req.params.id);
      return reply.status(204).send();
    },
  );
  app.get<Id>(
    '/packages/:id/assignments',
    { schema: { ...tags, summary: 'Companies a package is assigned to', params: IdParams } },
    async (req) => listPackageAssignments(ctx(req), { packageId: req.params.id }),
  );
  app.get<Id>(
    '/companies/:id/packages',
    { schema: { ...tags, summary: 'Packages assigned to a company', params: IdParams } },
    async (req) => listPackageAssignments(ctx(req), { companyId: req.params.id }),
  );
  app.post<Id>(
    '/companies/:id/packages',
    {
      schema: {
        ...tags,
        summary: 'Assign a package to a company',
        params: IdParams,
        body: PackageAssignmentCreate,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await assignPackage(ctx(req), req.params.id, req.body as PackageAssignmentInput)),
  );
  type PA = { Params: { id: string; packageAssignmentId: string } };
  app.patch<PA>(
    '/companies/:id/packages/:packageAssignmentId',
    {
      schema: {
        ...tags,
        summary: 'Change a package assignment',
        params: PackageAssignmentParams,
        body: PackageAssignmentPatch,
      },
    },
    async (req) =>
      updatePackageAssignment(
        ctx(req),
        req.params.id,
        req.params.packageAssignmentId,
        req.body as PackageAssignmentInput,
      ),
  );
  app.delete<PA>(
    '/companies/:id/packages/:packageAssignmentId',
    { schema: { ...tags, summary: 'Remove a package from a company', params: PackageAssignmentParams } },
    async (req, reply) => {
      await unassignPackage(ctx(req), req.params.id, req.params.packageAssignmentId);
      return reply.status(204).send();
    },
  );

  // ---- contracts
  app.get(
    '/contracts',
    { schema: { ...tags, summary: 'List contracts', querystring: ContractListQuery } },
    async (req) => listContracts(ctx(req), req.query as Paged & { q?: string }),
  );
  app.post(
    '/contracts',
    { schema: { ...tags, summary: 'Create a contract with its first revision', body: ContractCreate } },
    async (req, reply) =>
      reply.status(201).send(await createContract(ctx(req), req.body as { name: string; body: string })),
  );
  app.get<Id>(
    '/contracts/:id',
    { schema: { ...tags, summary: 'One contract with its revisions', params: IdParams } },
    async (req) => getContract(ctx(req), req.params.id),
  );
  app.patch<Id>(
    '/contracts/:id',
    { schema: { ...tags, summary: 'Rename a contract', params: IdParams, body: ContractPatch } },
    async (req) => renameContract(ctx(req), req.params.id, req.body as { name: string }),
  );
  app.delete<Id>(
    '/contracts/:id',
    { schema: { ...tags, summary: 'Delete a contract that is assigned to nobody', params: IdParams } },
    async (req, reply) => {
      await deleteContract(ctx(req), req.params.id);
      return reply.status(204).send();
    },
  );
  app.post<Id>(
    '/contracts/:id/revisions',
    {
      schema: {
        ...tags,
        summary: 'Add a revision (revisions are immutable)',
        params: IdParams,
        body: RevisionCreate,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await addRevision(ctx(req), req.params.id, req.body as { body: string })),
  );
  app.get<Id>(
    '/contracts/:id/assignments',
    { schema: { ...tags, summary: 'Companies a contract is assigned to', params: IdParams } },
    async (req) => listContractAssignments(ctx(req), { contractId: req.params.id }),
  );
  app.get<Id>(
    '/companies/:id/contracts',
    { schema: { ...tags, summary: 'Contracts assigned to a company', params: IdParams } },
    async (req) => listContractAssignments(ctx(req), { companyId: req.params.id }),
  );
  app.post<Id>(
    '/companies/:id/contracts',
    {
      schema: {
        ...tags,
        summary: 'Assign a contract’s latest revision to a company',
        params: IdParams,
        body: ContractAssignmentCreate,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await assignContract(ctx(req), req.params.id, req.body as ContractAssignmentInput)),
  );
  type CA = { Params: { id: string; contractAssignmentId: string } };
  app.patch<CA>(
    '/companies/:id/contracts/:contractAssignmentId',
    {
      schema: {
        ...tags,
        summary: 'Change a contract assignment (grace date, required, move to the latest revision)',
        params: ContractAssignmentParams,
        body: ContractAssignmentPatch,
      },
    },
    async (req) =>
      updateContractAssignment(
        ctx(req),
        req.params.id,
        req.params.contractAssignmentId,
        req.body as ContractAssignmentInput,
      ),
  );
  app.delete<CA>(
    '/companies/:id/contracts/:contractAssignmentId',
    { schema: { ...tags, summary: 'Remove a contract from a company', params: ContractAssignmentParams } },
    async (req, reply) => {
      await unassignContract(ctx(req), req.params.id, req.params.contractAssignmentId);
      return reply.status(204).send();
    },
  );
}
