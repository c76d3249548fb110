/** The test server and factories: a real app on a real database, driven through app.inject. */
import type { LightMyRequestResponse } from 'fastify';
import { type App, buildApp } from '../app.ts';
import type { Deps, TenantCtx } from '../context.ts';
import { createMailer } from '../emails/mailer.ts';
import { loadEnv } from '../env.ts';
import type { CompanyInput } from '../features/companies/companies.schema.ts';
import { createCompany } from '../features/companies/companies.service.ts';
import { createContact } from '../features/companies/contacts.service.ts';
import type { DomainInput } from '../features/domains/domains.schema.ts';
import { createDomain } from '../features/domains/domains.service.ts';
import { createOperator } from '../features/operators/operators.service.ts';
import { secretBox } from '../lib/secrets.ts';
import { SiteResolver } from '../plugins/sites.ts';
import { testDb } from './db.ts';

export const CONSOLE = 'console.test';

export interface TestApp {
  app: App;
  deps: Deps;
  close(): Promise<void>;
}

let seq = 0;
/** A name unique within this run. */
export const unique = (prefix: string) => `${prefix}${process.pid}x${++seq}`;

/** Boots the app on a private database. */
export async function startTestApp(envOverrides: Record<string, string> = {}): Promise<TestApp> {
  const { db, close } = await testDb();
  const env = loadEnv({
    CONSOLE_HOST: CONSOLE,
    LOG_LEVEL: 'silent',
    SECRET_KEY: 'test-secret',
    DEMO: 'false',
    ...envOverrides,
  });
  const sites = new SiteResolver(db, env.consoleHost);
  const deps: Deps = { db, env, box: secretBox('test-secret'), sites, mailer: createMailer() };
  const app = await buildApp(deps);
  return {
    app,
    deps,
    close: async () => {
      await app.close();
      await close();
    },
  };
}

export interface Client {
  host: string;
  cookie: string | null;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

/** A browser-like client for one host: keeps the session cookie and sends a same-origin Origin. */
export function client(app: App, host: string): Client {
  const c: Client = {
    host,
    cookie: null,
    async request(method, url, body, headers = {}) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: {
          host,
          origin: `http://${host}`,
          ...(c.cookie ? { cookie: `sid=${c.cookie}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      const set = res.cookies.find((k) => k.name === 'sid');
      if (set) c.cookie = set.value || null;
      return res;
    },
    get: (url) => c.request('GET', url),
    post: (url, body) => c.request('POST', url, body ?? {}),
    patch: (url, body) => c.request('PATCH', url, body),
    del: (url) => c.request('DELETE', url),
  };
  return c;
}

export interface TenantFixture {
  operatorId: string;
  email: string;
  password: string;
  ctx: TenantCtx;
  console: Client;
}

/** An operator with a signed-in console client. */
export async function buildOperator(t: TestApp): Promise<TenantFixture> {
  const email = `${unique('op')}@example.test`;
  const password = 'operator-password-1';
  const { operatorId } = await createOperator(t.deps, { name: unique('Operator '), email, password });
  const con = client(t.app, CONSOLE);
  const res = await con.post('/api/v1/auth/login', { email, password });
  if (res.statusCode !== 200) throw new Error(`operator login failed: ${res.body}`);
  return {
    operatorId,
    email,
    password,
    console: con,
    ctx: { deps: t.deps, operatorId, actor: { type: 'system', id: null, label: 'test' } },
  };
}

export const buildDomain = (f: TenantFixture, input: Partial<DomainInput> = {}) =>
  createDomain(f.ctx, { domain: `${unique('brand')}.localhost`, brand_name: 'Test Brand', ...input });

export const buildCompany = (f: TenantFixture, input: CompanyInput = {}) =>
  createCompany(f.ctx, { type: 'customer', name: unique('Company '), currency: 'USD', ...input });

/** A contact with a password, and a portal client for the given brand host (not yet signed in). */
export async function buildContact(t: TestApp, f: TenantFixture, companyId: string, host: string) {
  const email = `${unique('contact')}@example.test`;
  const password = 'contact-password-1';
  const contact = await createContact(f.ctx, companyId, { name: 'Test Contact', email, password });
  const portal = client(t.app, host);
  return {
    contact,
    email,
    password,
    portal,
    login: () => portal.post('/api/v1/auth/login', { email, password }),
  };
}
