/** Outgoing mail: every brand mail the job queue sent, is sending or gave up on, with "retry now". */
import { Badge, Button, Card, Group, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../../ui/api.ts';
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
  qs,
  useApiMutation,
  useListParams,
  useSearchBox,
  useTitle,
} from '../../hooks.ts';

type MailState = 'queued' | 'running' | 'done' | 'failed';

interface MailJob {
  id: string;
  state: MailState;
  to: string;
  template: string;
  brand_name: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  finished_at: string | null;
}

interface MailJobPage {
  items: MailJob[];
  total: number;
  page: number;
  page_size: number;
  counts: { failed: number; queued: number };
}

const STATE_LABEL: Record<MailState, string> = {
  queued: 'Waiting',
  running: 'Sending',
  done: 'Sent',
  failed: 'Failed',
};
const STATE_COLOR: Record<MailState, string> = {
  queued: 'yellow',
  running: 'blue',
  done: 'green',
  failed: 'red',
};
const TEMPLATE_LABEL: Record<string, string> = {
  invite: 'Invitation',
  password_reset: 'Password reset',
  test: 'Test email',
  notice: 'Notice',
};

function useMailJobs(params: { state: string; q: string; page: number }) {
  return useQuery({
    queryKey: ['mail-jobs', params],
    queryFn: () => api.get<MailJobPage>(`${CONSOLE_API}/mail-jobs${qs({ ...params, page_size: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
}

export function MailJobsPage() {
  useTitle('Outgoing mail');
  const notify = useNotify();
  const { page, values, set } = useListParams(['state', 'q'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const jobs = useMailJobs({ state: values.state, q: values.q, page });
  const retry = useApiMutation(
    (id: string) => api.post<MailJob>(`${CONSOLE_API}/mail-jobs/${encodeURIComponent(id)}/retry`),
    () => [['mail-jobs']],
  );
  const filtered = Boolean(values.state || values.q);

  return (
    <>
      <PageHeader
        title="Outgoing mail"
        subtitle="Invitations, password resets and other mail your brands send. Failed mail shows the mail server’s answer."
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" align="flex-end" gap="sm">
          <TextInput
            label="Search"
            placeholder="Recipient or template"
            leftSection={<SearchIcon size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={280}
          />
          <Select
            label="State"
            placeholder="All states"
            data={(Object.keys(STATE_LABEL) as MailState[]).map((s) => ({ value: s, label: STATE_LABEL[s] }))}
            value={values.state || null}
            onChange={(v) => set({ state: v ?? '' })}
            clearable
            w={180}
          />
          {jobs.data && jobs.data.counts.failed > 0 && values.state !== 'failed' ? (
            <Button variant="light" color="red" onClick={() => set({ state: 'failed' })}>
              {jobs.data.counts.failed} failed
            </Button>
          ) : null}
        </Group>
        {jobs.isPending ? (
          <TableSkeleton />
        ) : jobs.isError ? (
          <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
        ) : jobs.data.items.length === 0 ? (
          <Empty
            title={filtered ? 'No mail matches' : 'No mail sent yet'}
            description={
              filtered
                ? 'Change the search or the state filter.'
                : 'Invitations and password resets appear here as soon as they are queued.'
            }
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table aria-label="Outgoing mail" verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Recipient</Table.Th>
                    <Table.Th scope="col">Mail</Table.Th>
                    <Table.Th scope="col">Attempts</Table.Th>
                    <Table.Th scope="col">Last error</Table.Th>
                    <Table.Th scope="col">Next attempt</Table.Th>
                    <Table.Th scope="col">Queued</Table.Th>
                    <Table.Th scope="col">
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={jobs.isPlaceholderData}>
                  {jobs.data.items.map((j) => (
                    <Table.Tr key={j.id}>
                      <Table.Td>
                        <Badge variant="light" color={STATE_COLOR[j.state]}>
                          {STATE_LABEL[j.state]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{j.to}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{TEMPLATE_LABEL[j.template] ?? j.template}</Text>
                        <Text size="xs" c="dimmed">
                          {j.brand_name ?? 'Platform'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {j.attempts} of {j.max_attempts}
                      </Table.Td>
                      <Table.Td maw={320}>
                        {j.last_error ? (
                          <Text size="sm" c="red.8" style={{ wordBreak: 'break-word' }}>
                            {j.last_error}
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{j.next_attempt_at ? formatDateTime(j.next_attempt_at) : '—'}</Table.Td>
                      <Table.Td>{formatDateTime(j.created_at)}</Table.Td>
                      <Table.Td>
                        {j.state === 'failed' || j.state === 'queued' ? (
                          <Tooltip label="Send it again now">
                            <Button
                              size="xs"
                              variant="default"
                              loading={retry.isPending && retry.variables === j.id}
                              aria-label={`Retry now: mail to ${j.to}`}
                              onClick={() =>
                                retry.mutate(j.id, {
                                  onSuccess: () =>
                                    notify({
                                      title: 'Mail queued',
                                      message: `Sending to ${j.to} again now.`,
                                    }),
                                  onError: (e) =>
                                    notify({
                                      title: 'Could not retry',
                                      message: errorMessage(e),
                                      color: 'red',
                                    }),
                                })
                              }
                            >
                              Retry now
                            </Button>
                          </Tooltip>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              pageSize={jobs.data.page_size || PAGE_SIZE}
              total={jobs.data.total}
              onChange={(p) => set({ page: p })}
              noun="mails"
            />
          </>
        )}
      </Card>
    </>
  );
}
