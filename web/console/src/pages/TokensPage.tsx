import { Badge, Button, Card, Code, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { PlusIcon } from '../components/Icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../components/States.tsx';
import { formatDateTime } from '../format.ts';
import { PAGE_SIZE, useTitle, useTokens } from '../hooks.ts';
import type { TokenDto } from '../types.ts';
import { CreateTokenModal, RevokeModal } from './tokens/TokenModals.tsx';

export function TokensPage() {
  useTitle('API tokens');
  const tokens = useTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenDto | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const all = tokens.data?.items ?? [];
  const revokedCount = all.filter((t) => t.revoked_at).length;
  const items = showRevoked ? all : all.filter((t) => !t.revoked_at);
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const visible = items.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);

  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle={
          <>
            Integrations call the console API with <Code>Authorization: Bearer &lt;token&gt;</Code>. Each
            token acts for your whole operator account.
          </>
        }
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
            Create token
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        {revokedCount > 0 && (
          <Group justify="flex-end" mb="sm">
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setShowRevoked((v) => !v);
                setPage(1);
              }}
              aria-pressed={showRevoked}
            >
              {showRevoked ? 'Hide revoked tokens' : `Show revoked tokens (${revokedCount})`}
            </Button>
          </Group>
        )}
        {tokens.isPending ? (
          <TableSkeleton rows={3} />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : items.length === 0 ? (
          <Empty
            title="No active tokens"
            description="Create a token to let scripts and integrations use the API."
            action={<Button onClick={() => setCreating(true)}>Create token</Button>}
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={680}>
              <Table aria-label="API tokens">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Token</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">Last used</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {visible.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td fw={500}>{t.name}</Table.Td>
                      <Table.Td>
                        <Code>{t.prefix}…</Code>
                      </Table.Td>
                      <Table.Td>{formatDateTime(t.created_at)}</Table.Td>
                      <Table.Td>
                        {t.last_used_at ? (
                          formatDateTime(t.last_used_at)
                        ) : (
                          <Text size="sm" c="dimmed">
                            Never
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {t.revoked_at ? (
                          <Badge
                            variant="light"
                            color="gray"
                            title={`Revoked ${formatDateTime(t.revoked_at)}`}
                          >
                            revoked
                          </Badge>
                        ) : (
                          <Badge variant="light" color="green">
                            active
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        {!t.revoked_at && (
                          <Button
                            size="xs"
                            color="red"
                            variant="outline"
                            onClick={() => setRevoking(t)}
                            aria-label={`Revoke ${t.name}`}
                          >
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={current}
              pageSize={PAGE_SIZE}
              total={items.length}
              onChange={setPage}
              noun="tokens"
            />
          </>
        )}
      </Card>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <RevokeModal token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
