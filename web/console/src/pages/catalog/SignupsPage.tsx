/** Sign-ups from the portals: who signed up where, whether the address is confirmed, approve or reject. */
import { Badge, Button, Card, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { SearchIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';
import {
  CONSOLE_API,
  errorMessage,
  PAGE_SIZE,
  useApiMutation,
  useListParams,
  useSearchBox,
  useTitle,
} from '../../hooks.ts';
import { type SignupDto, useSignups } from './api.ts';

const STATES = [
  { value: 'pending', label: 'Waiting for approval' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'all', label: 'All' },
];

function SignupState({ s }: { s: SignupDto }) {
  if (s.decision === 'approved') return <Badge color="green">Approved</Badge>;
  if (s.decision === 'rejected') return <Badge color="red">Rejected</Badge>;
  if (s.status === 'pending_approval') return <Badge color="orange">Waiting for approval</Badge>;
  return <Badge color="blue">Active (template)</Badge>;
}

export function SignupsPage() {
  useTitle('Sign-ups');
  const notify = useNotify();
  const { page, values, set } = useListParams(['state', 'q'] as const);
  const state = values.state || 'pending';
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = useSignups({ state, q: values.q, page });
  const [rejecting, setRejecting] = useState<SignupDto | null>(null);
  const act = useApiMutation(
    ({ id, action }: { id: string; action: 'approve' | 'reject' | 'confirm-email' }) =>
      api.post<SignupDto>(`${CONSOLE_API}/signups/${id}/${action}`),
    () => [['signups'], ['companies']],
  );
  const run = (s: SignupDto, action: 'approve' | 'reject' | 'confirm-email') =>
    act.mutate(
      { id: s.id, action },
      {
        onSuccess: () => {
          setRejecting(null);
          notify({
            title:
              action === 'approve'
                ? `${s.company_name} approved`
                : action === 'reject'
                  ? `${s.company_name} rejected`
                  : `Email address of ${s.contact_name} confirmed`,
            color: action === 'reject' ? 'blue' : 'green',
          });
        },
        onError: (e) => notify({ title: 'The change was not made', message: errorMessage(e), color: 'red' }),
      },
    );

  return (
    <>
      <PageHeader
        title="Sign-ups"
        subtitle="Companies that signed up on a portal. New customers start as their domain’s template says; the others wait for your approval."
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="signup-state-label">
              Show
            </Text>
            <SegmentedControl
              aria-labelledby="signup-state-label"
              data={STATES}
              value={state}
              onChange={(v) => set({ state: v === 'pending' ? '' : v })}
            />
          </Stack>
          <TextInput
            label="Search sign-ups"
            placeholder="Company, name or email"
            type="search"
            leftSection={<SearchIcon size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 240px' }}
            maw={360}
          />
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Empty
            title={state === 'pending' ? 'Nobody is waiting for approval' : 'No sign-ups here'}
            description="Sign-ups appear when customer or carrier sign-up is on for a domain (Domains → sign-up policy)."
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table aria-label="Sign-ups">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Company</Table.Th>
                    <Table.Th scope="col">Contact</Table.Th>
                    <Table.Th scope="col">Portal</Table.Th>
                    <Table.Th scope="col">Signed up</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {list.data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <Text
                          component={Link}
                          to={`/companies/${s.company_id}`}
                          className="row-link"
                          fw={500}
                        >
                          {s.company_name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {s.type} · {s.currency} · {s.country}
                          {s.cloned_from_template ? ' · from template' : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{s.contact_name}</Text>
                        <Text size="xs" c="dimmed">
                          {s.email}
                          {s.phone ? ` · ${s.phone}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>{s.brand_name ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(s.created_at)}</Text>
                        {s.ip ? (
                          <Text size="xs" c="dimmed">
                            from {s.ip}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        {s.email_verified_at ? (
                          <Badge variant="light" color="green">
                            Confirmed
                          </Badge>
                        ) : (
                          <Badge variant="light" color="gray">
                            Not confirmed
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <SignupState s={s} />
                        {s.decided_by ? (
                          <Text size="xs" c="dimmed">
                            by {s.decided_by}, {formatDateTime(s.decided_at)}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          {s.status === 'pending_approval' && !s.decision ? (
                            <>
                              <Button size="xs" onClick={() => run(s, 'approve')} loading={act.isPending}>
                                Approve
                              </Button>
                              <Button size="xs" variant="default" color="red" onClick={() => setRejecting(s)}>
                                Reject
                              </Button>
                            </>
                          ) : null}
                          {!s.email_verified_at && s.decision !== 'rejected' ? (
                            <Button size="xs" variant="subtle" onClick={() => run(s, 'confirm-email')}>
                              Confirm email
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              pageSize={list.data.page_size || PAGE_SIZE}
              total={list.data.total}
              onChange={(p) => set({ page: p })}
              noun="sign-ups"
            />
          </>
        )}
      </Card>
      <AppModal opened={rejecting !== null} onClose={() => setRejecting(null)} title="Reject this sign-up?">
        <Stack>
          <Text size="sm">
            {rejecting?.company_name} will be closed: {rejecting?.contact_name} cannot sign in. This cannot be
            undone here.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRejecting(null)}>
              Cancel
            </Button>
            <Button color="red" loading={act.isPending} onClick={() => rejecting && run(rejecting, 'reject')}>
              Reject sign-up
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}
