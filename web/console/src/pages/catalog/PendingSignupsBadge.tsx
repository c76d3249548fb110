/** The operator's notice of sign-ups waiting for approval: a count next to "Sign-ups" in the navigation. */
import { Badge, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../../ui/api.ts';
import { CONSOLE_API } from '../../hooks.ts';

export function PendingSignupsBadge() {
  const pending = useQuery({
    queryKey: ['signups', 'pending-count'],
    queryFn: () => api.get<{ pending: number }>(`${CONSOLE_API}/signups?state=pending&page_size=1`),
    refetchInterval: 60_000,
  });
  const n = pending.data?.pending ?? 0;
  if (n === 0) return null;
  return (
    <Badge size="sm" color="orange" circle={n < 10}>
      {n}
      <VisuallyHidden> waiting for approval</VisuallyHidden>
    </Badge>
  );
}
