/**
 * A domain's deployment (SPEC section 6): what to do next, the exact record to create, what DNS answered,
 * the certificate, the event timeline and notices, with "Check now".
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DomainDto, DomainState, Page } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { StateBadge } from '../../components/Badges.tsx';
import { AlertIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { DOMAIN_STATE_LABEL, formatDateTime, words } from '../../format.ts';
import { CONSOLE_API, errorMessage, qs, useApiMutation } from '../../hooks.ts';

export interface DomainEvent {
  id: string;
  at: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  message: string;
}

/** The extra fields GET /domains/:id returns for the deployment. */
export interface DomainDeployment {
  reason_message: string | null;
  next_step: string;
  expected_record: { name: string; type: 'CNAME'; target: string; ttl: number } | null;
  dns: {
    checked_at: string | null;
    next_check_at: string | null;
    seen: { cname_chain: string[]; a: string[]; aaaa: string[]; caa: string[]; error: string | null } | null;
  };
  certificate: {
    issuer: string;
    serial: string;
    not_before: string | null;
    not_after: string | null;
    renew_at: string | null;
  } | null;
  unread_notices: number;
  events: DomainEvent[];
}

interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  code: string;
  message: string;
  created_at: string;
  read: boolean;
}

/** A two-column term/value list. */
const KV = {
  display: 'grid',
  gridTemplateColumns: 'max-content 1fr',
  gap: '4px 16px',
  margin: 0,
  fontSize: 'var(--mantine-font-size-sm)',
  overflowWrap: 'anywhere',
} as const;

const LEVEL_COLOR = { info: 'blue', warning: 'orange', error: 'red' } as const;
const stateLabel = (s: string) => DOMAIN_STATE_LABEL[s as DomainState] ?? words(s);

export function DeploymentTab({ saved }: { saved: DomainDto & Partial<DomainDeployment> }) {
  const qc = useQueryClient();
  const notify = useNotify();
  const check = useApiMutation(
    () => api.post<DomainDto>(`${CONSOLE_API}/domains/${encodeURIComponent(saved.id)}/check`, {}),
    () => [
      ['domains', 'list'],
      ['domains', 'notices', saved.id],
    ],
  );
  const onCheck = () =>
    check.mutate(undefined, {
      onSuccess: (d) => {
        qc.setQueryData(['domains', 'detail', d.id], d);
        notify({ title: 'Check started', message: `${d.domain} is being checked now.` });
      },
    });
  const seen = saved.dns?.seen ?? null;
  const local = !saved.expected_record;

  return (
    <Stack gap="lg">
      <Alert
        variant="light"
        color={
          saved.state === 'failed' ? 'red' : saved.state === 'active' && !saved.reason ? 'green' : 'blue'
        }
        title={
          <Group gap="xs">
            <span>Status:</span> <StateBadge state={saved.state} />
            {saved.reason && (
              <Badge variant="outline" color="gray">
                {words(saved.reason)}
              </Badge>
            )}
          </Group>
        }
      >
        <Stack gap={6}>
          <Text size="sm">{saved.next_step}</Text>
          {saved.reason_message && (
            <Text size="sm" c="dimmed">
              {saved.reason_message}
            </Text>
          )}
        </Stack>
      </Alert>

      {!local && (
        <Group>
          <Button onClick={onCheck} loading={check.isPending}>
            Check now
          </Button>
          <Text size="sm" c="dimmed">
            Last check: {formatDateTime(saved.dns?.checked_at) || 'not yet'} · Next check:{' '}
            {formatDateTime(saved.dns?.next_check_at) || 'none scheduled'}
          </Text>
        </Group>
      )}
      {check.isError && (
        <Alert color="red" variant="light" icon={<AlertIcon />} title="Could not start a check">
          {errorMessage(check.error)}
        </Alert>
      )}

      {saved.expected_record && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            DNS record to create
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            At the DNS provider of {saved.domain}. A CNAME only: A or AAAA records, proxied or flattened
            records do not work.
          </Text>
          <Table.ScrollContainer minWidth={480}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Target</Table.Th>
                  <Table.Th scope="col">TTL</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td>
                    <Code>{saved.expected_record.name}</Code>
                  </Table.Td>
                  <Table.Td>{saved.expected_record.type}</Table.Td>
                  <Table.Td>
                    <Code>{saved.expected_record.target}</Code>
                  </Table.Td>
                  <Table.Td>{saved.expected_record.ttl}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}

      {!local && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              What DNS answered
            </Title>
            {!seen ? (
              <Text size="sm" c="dimmed">
                No check has run yet.
              </Text>
            ) : (
              <dl style={KV}>
                <dt style={{ fontWeight: 600 }}>CNAME chain</dt>
                <dd style={{ margin: 0 }}>
                  {seen.cname_chain.length ? seen.cname_chain.join(' → ') : 'none'}
                </dd>
                <dt style={{ fontWeight: 600 }}>A</dt>
                <dd style={{ margin: 0 }}>{seen.a.length ? seen.a.join(', ') : 'none'}</dd>
                <dt style={{ fontWeight: 600 }}>AAAA</dt>
                <dd style={{ margin: 0 }}>{seen.aaaa.length ? seen.aaaa.join(', ') : 'none'}</dd>
                <dt style={{ fontWeight: 600 }}>CAA</dt>
                <dd style={{ margin: 0 }}>{seen.caa.length ? seen.caa.join(', ') : 'none'}</dd>
                {seen.error && (
                  <>
                    <dt style={{ fontWeight: 600 }}>Lookup error</dt>
                    <dd style={{ margin: 0 }}>{seen.error}</dd>
                  </>
                )}
              </dl>
            )}
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              Certificate
            </Title>
            {!saved.certificate ? (
              <Text size="sm" c="dimmed">
                No certificate yet. It is requested automatically once DNS is correct.
              </Text>
            ) : (
              <dl style={KV}>
                <dt style={{ fontWeight: 600 }}>Issuer</dt>
                <dd style={{ margin: 0 }}>{saved.certificate.issuer}</dd>
                <dt style={{ fontWeight: 600 }}>Serial</dt>
                <dd style={{ margin: 0 }}>
                  <Code>{saved.certificate.serial}</Code>
                </dd>
                <dt style={{ fontWeight: 600 }}>Valid from</dt>
                <dd style={{ margin: 0 }}>{formatDateTime(saved.certificate.not_before)}</dd>
                <dt style={{ fontWeight: 600 }}>Expires</dt>
                <dd style={{ margin: 0 }}>{formatDateTime(saved.certificate.not_after)}</dd>
                <dt style={{ fontWeight: 600 }}>Renewal from</dt>
                <dd style={{ margin: 0 }}>{formatDateTime(saved.certificate.renew_at) || '—'}</dd>
              </dl>
            )}
          </Card>
        </SimpleGrid>
      )}

      <Notices domainId={saved.id} />

      <section aria-labelledby="timeline-title">
        <Title order={2} size="h4" mb="xs" id="timeline-title">
          Timeline
        </Title>
        {(saved.events ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            No events yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">What happened</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(saved.events ?? []).map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {e.from_state ? `${stateLabel(e.from_state)} → ` : ''}
                      {stateLabel(e.to_state)}
                      {e.reason ? ` (${words(e.reason)})` : ''}
                    </Table.Td>
                    <Table.Td>{e.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
    </Stack>
  );
}

const NOTICE_PAGE = 10;

function Notices({ domainId }: { domainId: string }) {
  const [page, setPage] = useState(1);
  const [level, setLevel] = useState('all');
  const q = useQuery({
    queryKey: ['domains', 'notices', domainId, { page, level }],
    queryFn: () =>
      api.get<Page<Notice>>(
        `${CONSOLE_API}/domains/${encodeURIComponent(domainId)}/notices${qs({
          page,
          page_size: NOTICE_PAGE,
          level: level === 'all' ? null : level,
        })}`,
      ),
  });
  return (
    <section aria-labelledby="notices-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="notices-title">
          Notices
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Show notices of level"
          value={level}
          onChange={(v) => {
            setLevel(v);
            setPage(1);
          }}
          data={[
            { value: 'all', label: 'All' },
            { value: 'error', label: 'Errors' },
            { value: 'warning', label: 'Warnings' },
          ]}
        />
      </Group>
      {q.isPending ? (
        <TableSkeleton rows={2} />
      ) : q.isError ? (
        <ErrorState error={q.error} title="Could not load the notices" onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty
          title="No notices"
          description="Failed certificate requests and expiry warnings appear here."
        />
      ) : (
        <>
          <Stack gap="xs">
            {q.data.items.map((n) => (
              <Alert
                key={n.id}
                variant="light"
                color={LEVEL_COLOR[n.level]}
                title={`${formatDateTime(n.created_at)} · ${words(n.code)}`}
              >
                {n.message}
              </Alert>
            ))}
          </Stack>
          <Pager page={page} pageSize={NOTICE_PAGE} total={q.data.total} onChange={setPage} noun="notices" />
        </>
      )}
    </section>
  );
}
