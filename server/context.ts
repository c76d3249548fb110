/** What a request carries after the host and session plugins ran, and what services receive. */
import type { FeatureId, UserType } from '../common/features.ts';
import type { Db } from './db/db.ts';
import type { Mailer } from './emails/mailer.ts';
import type { Env } from './env.ts';
import type { SecretBox } from './lib/secrets.ts';
import type { Site, SiteResolver } from './plugins/sites.ts';

export interface OperatorPrincipal {
  kind: 'operator';
  via: 'session' | 'token';
  operatorId: string;
  operatorName: string;
  userId: string | null;
  email: string | null;
  name: string;
  sessionId: string | null;
}

export interface ContactPrincipal {
  kind: 'contact';
  operatorId: string;
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  company: { id: string; name: string; type: UserType; currency: string };
  features: FeatureId[];
  /** Set when an operator user opened this session with "log in as": who they are. */
  impersonator?: string | null;
}

export type Principal = OperatorPrincipal | ContactPrincipal;

export interface Deps {
  db: Db;
  env: Env;
  box: SecretBox;
  sites: SiteResolver;
  mailer: Mailer;
}

/** Who acts, for services and the audit log. */
export interface Actor {
  type: 'operator_user' | 'api_token' | 'contact' | 'system';
  id: string | null;
  label: string;
}

/** What a tenant service needs: the deps, the operator it acts for and the actor. */
export interface TenantCtx {
  deps: Deps;
  operatorId: string;
  actor: Actor;
}

declare module 'fastify' {
  interface FastifyRequest {
    site: Site | null;
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Portal routes: the feature id that gates the route; null for routes every contact may use. */
    feature?: string | null;
  }
}
