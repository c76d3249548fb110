/** Server state: one TanStack Query client and the queries every page shares. */
import { QueryCache, QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import type { PublicBrand } from '../../../common/api.ts';
import { ApiFailure, api } from '../../ui/api.ts';
import type { PortalBalance, PortalMe } from './types.ts';

export const keys = {
  brand: ['brand'] as const,
  me: ['me'] as const,
  /** Everything behind the login; removed on logout. */
  portal: ['portal'] as const,
  balance: ['portal', 'balance'] as const,
};

/** Client errors (4xx) are answers, not glitches: retrying them only delays the message. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiFailure && error.status < 500) return false;
  return failureCount < 1;
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (!(error instanceof ApiFailure)) return;
      // A session that expired mid-visit: forget the user, the router then shows the login page.
      if (error.status === 401 && query.queryKey[0] !== keys.me[0]) {
        queryClient.setQueryData(keys.me, null);
      }
      // The operator switched a feature off while the page was open: refresh the navigation.
      if (error.status === 403 && error.body.error === 'feature_disabled') {
        void queryClient.invalidateQueries({ queryKey: keys.me });
      }
    },
  }),
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

export function useBrand() {
  return useQuery({
    queryKey: keys.brand,
    queryFn: () => api.get<PublicBrand>('/api/v1/brand'),
    staleTime: 5 * 60_000,
  });
}

/** The signed-in contact, or null when the server answers 401 (not signed in). */
export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: async (): Promise<PortalMe | null> => {
    try {
      const me = await api.get<PortalMe>('/api/v1/me');
      // /me carries the brand too: the chrome then needs no second request.
      if (me.brand) queryClient.setQueryData(keys.brand, me.brand);
      return me;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return null;
      throw error;
    }
  },
});

export function useMe() {
  return useQuery(meQuery);
}

export function useBalance(enabled: boolean) {
  return useQuery({
    queryKey: keys.balance,
    queryFn: () => api.get<PortalBalance>('/api/v1/portal/balance'),
    enabled,
  });
}

/** A human message for any failure: the server's own text when it sent one. */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (error instanceof ApiFailure) {
    // bad_response / http_error wrap a proxy's HTML or a bare status line: not worth showing.
    const raw = error.body.error === 'bad_response' || error.body.error === 'http_error';
    if (error.body.message && !raw) return error.body.message;
    if (error.status >= 500) return 'The service is temporarily unavailable. Please try again shortly.';
    return fallback;
  }
  if (error instanceof TypeError) return 'Could not reach the server. Check your connection and try again.';
  return fallback;
}
