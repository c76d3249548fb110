/**
 * Portal-only answer shapes. PublicBrand and ApiError live in common/api.ts; these two are not
 * there yet (they could move there so the server presenters share them).
 */
import type { PublicBrand } from '../../../common/api.ts';
import type { UserType } from '../../../common/features.ts';

export interface PortalUser {
  id: string;
  email: string;
  name: string;
}

export interface PortalCompany {
  id: string;
  name: string;
  type: UserType;
  currency: string;
}

/** GET /api/v1/me on a portal host. */
export interface PortalMe {
  user: PortalUser;
  company: PortalCompany;
  brand: PublicBrand;
  /** Effective feature ids of this contact. */
  features: string[];
  /** "Log in as": the operator user who opened this session, else null. */
  impersonator?: string | null;
}

/** GET /api/v1/portal/balance: decimal strings in the company currency. */
export interface PortalBalance {
  balance: string;
  currency: string;
  debit_limit: string;
  available: string;
}
