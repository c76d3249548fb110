/**
 * Sign-up routes: the public form on a brand's host (/api/v1/portal/signup…, no session), the portal's
 * contract approval, and the console's sign-up approvals.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { COUNTRY_CODES } from '../../../common/countries.ts';
import type { Deps } from '../../context.ts';
import { MIN_PASSWORD_LENGTH } from '../../lib/common-passwords.ts';
import { badRequest, HttpError } from '../../lib/errors.ts';
import { consoleCtx, contactOf } from '../../plugins/scopes.ts';
import type { Brand } from '../../plugins/sites.ts';
import { confirmSignupEmail, decideSignup, getSignup, listSignups } from './approval.service.ts';
import { approveContract, listCompanyContracts } from './contracts.portal.ts';
import { allowSignupAttempt, checkFormToken, issueFormToken } from './guard.ts';
import { type SignupInput, signUp, signupSettings, validateSignup, verifyEmail } from './signup.service.ts';

const SignupBody = Type.Object(
  {
    type: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('carrier')])),
    company_name: Type.String({ maxLength: 200 }),
    contact_name: Type.String({ maxLength: 200 }),
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 1024 }),
    phone: Type.String({ maxLength: 40 }),
    country: Type.String({ maxLength: 2 }),
    currency: Type.String({ maxLength: 3 }),
    form_token: Type.String({ maxLength: 1000 }),
    // The honeypot: hidden from people, filled in by bots.
    website: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const ACCEPTED = {
  status: 'check_email',
  message:
    'Thank you. We sent a link to the email address you gave: open it to confirm the address and finish your sign-up.',
} as const;

function brandOf(req: FastifyRequest): Brand {
  if (req.site?.kind !== 'portal') throw new HttpError(404, 'not_found', 'No such endpoint');
  return req.site.brand;
}

/** Public routes on a brand's host: the form's settings, the sign-up itself and the verification link. */
export async function registerSignupPublicRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const schema = { tags: ['signup'] };
  app.get(
    '/api/v1/portal/signup',
    {
      config: { feature: null },
      schema: { ...schema, summary: 'What the sign-up form offers on this brand' },
    },
    async (req) => {
      const brand = brandOf(req);
      const s = await signupSettings(deps, brand);
      return {
        types: [...(s.customer_signup ? ['customer'] : []), ...(s.carrier_signup ? ['carrier'] : [])],
        currencies: s.currencies,
        countries: COUNTRY_CODES,
        form_token: issueFormToken(deps.box, brand.domainId),
        min_password_length: MIN_PASSWORD_LENGTH,
      };
    },
  );

  app.post(
    '/api/v1/portal/signup',
    {
      config: { feature: null },
      schema: {
        ...schema,
        summary: 'Sign up: creates the company and its first contact, and mails a verification link',
        body: SignupBody,
      },
    },
    async (
      req: FastifyRequest<{ Body: SignupInput & { form_token: string; website?: string } }>,
      reply: FastifyReply,
    ) => {
      const brand = brandOf(req);
      const settings = await signupSettings(deps, brand);
      const allowed = await allowSignupAttempt(deps.db, req.ip);
      if (!allowed.ok) {
        reply.header('retry-after', String(allowed.retryAfter));
        throw new HttpError(
          429,
          'rate_limited',
          'Too many sign-ups from your network. Please try again later.',
        );
      }
      const form = checkFormToken(deps.box, brand.domainId, req.body.form_token);
      if (form === 'too_fast')
        throw badRequest(
          'too_fast',
          'That was quicker than a person can fill in the form: please submit it again.',
        );
      if (form !== 'ok')
        throw badRequest('form_expired', 'This form has expired: reload the page and submit it again.');
      const clean = validateSignup(req.body, settings);
      // A filled honeypot gets the same answer as a person, and nothing is created.
      if (req.body.website?.trim()) return reply.status(202).send(ACCEPTED);
      await signUp(deps, brand, settings, clean, req.body.password, req.ip);
      return reply.status(202).send(ACCEPTED);
    },
  );

  app.post(
    '/api/v1/portal/signup/verify',
    {
      config: { feature: null },
      schema: {
        ...schema,
        summary: 'Confirm an email address with the link’s token (single use, expiring)',
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req: FastifyRequest<{ Body: { token: string } }>) => {
      const brand = brandOf(req);
      const r = await verifyEmail(deps, brand, req.body.token);
      return { email: r.email, pending_approval: r.status === 'pending_approval' };
    },
  );
}

/** Portal routes (inside the portal scope): the company's contracts and their approval. */
export async function registerPortalContractRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/contracts',
    {
      config: { feature: null },
      schema: { summary: 'The company’s contracts and whether they are approved' },
    },
    async (req) => listCompanyContracts(deps, contactOf(req)),
  );
  app.post<{ Params: { id: string }; Body: { name: string; agree: boolean } }>(
    '/contracts/:id/approve',
    {
      config: { feature: null },
      schema: {
        summary: 'Approve a contract by typing your name and agreeing',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { name: Type.String({ maxLength: 200 }), agree: Type.Boolean() },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => approveContract(deps, contactOf(req), req.params.id, req.body),
  );
}

/** Console routes: sign-ups with approve / reject. */
export async function registerSignupConsoleRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.get(
    '/signups',
    {
      schema: {
        summary: 'Sign-ups, newest first, with how many wait for approval',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union(['pending', 'approved', 'rejected', 'all'].map((s) => Type.Literal(s))),
          ),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 25 })),
        }),
      },
    },
    async (req) => listSignups(consoleCtx(deps, req), req.query as Parameters<typeof listSignups>[1]),
  );
  app.get<{ Params: { id: string } }>(
    '/signups/:id',
    { schema: { summary: 'One sign-up', params: Id } },
    async (req) => getSignup(consoleCtx(deps, req), req.params.id),
  );
  app.post<{ Params: { id: string } }>(
    '/signups/:id/approve',
    { schema: { summary: 'Approve a sign-up: the company becomes active', params: Id } },
    async (req) => decideSignup(consoleCtx(deps, req), req.params.id, 'approved'),
  );
  app.post<{ Params: { id: string } }>(
    '/signups/:id/confirm-email',
    {
      schema: {
        summary: 'Confirm the sign-up’s email address without the link (the chosen password becomes usable)',
        params: Id,
      },
    },
    async (req) => confirmSignupEmail(consoleCtx(deps, req), req.params.id),
  );
  app.post<{ Params: { id: string } }>(
    '/signups/:id/reject',
    { schema: { summary: 'Reject a sign-up: the company is closed and cannot sign in', params: Id } },
    async (req) => decideSignup(consoleCtx(deps, req), req.params.id, 'rejected'),
  );
}
