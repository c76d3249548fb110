import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api } from '../../../ui/api.ts';
import { AlertIcon, CheckIcon, PlusIcon } from '../components/Icons.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, ErrorState, TableSkeleton } from '../components/States.tsx';
import { formatDateTime } from '../format.ts';
import { CONSOLE_API, errorMessage, useApiMutation, useTitle, useTokens } from '../hooks.ts';
import type { NewTokenDto, TokenDto } from '../types.ts';

export function TokensPage() {
  useTitle('API tokens');
  const tokens = useTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenDto | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const all = tokens.data?.items ?? [];
  const revokedCount = all.filter((t) => t.revoked_at).length;
  const items = showRevoked ? all : all.filter((t) => !t.revoked_at);

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
              onClick={() => setShowRevoked((v) => !v)}
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
                {items.map((t) => (
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
                          styles={{ root: { color: 'var(--mantine-color-gray-8)', textTransform: 'none' } }}
                          title={`Revoked ${formatDateTime(t.revoked_at)}`}
                        >
                          revoked
                        </Badge>
                      ) : (
                        <Badge
                          variant="light"
                          color="green"
                          styles={{ root: { color: 'var(--mantine-color-green-9)', textTransform: 'none' } }}
                        >
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
        )}
      </Card>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <RevokeModal token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const create = useApiMutation(
    (body: { name: string }) => api.post<NewTokenDto>(`${CONSOLE_API}/tokens`, body),
    () => [['tokens']],
  );
  const created = create.data;
  const close = () => {
    create.reset();
    setName('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim() });
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Token created' : 'Create API token'}
      size="lg"
      closeOnClickOutside={!created}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {created ? (
        <Stack>
          <Alert color="orange" variant="light" icon={<AlertIcon />} title="Copy this token now">
            It won&rsquo;t be shown again. Store it in a secret manager; if it is lost, revoke it and create a
            new one.
          </Alert>
          <TextInput
            label={`Token “${created.name}”`}
            value={created.token}
            readOnly
            ff="monospace"
            onFocus={(e) => e.currentTarget.select()}
            styles={{ input: { fontFamily: 'ui-monospace, monospace' } }}
          />
          <Group justify="flex-end">
            <CopyButton value={created.token} timeout={2500}>
              {({ copied, copy }) => (
                <Button
                  color={copied ? 'green' : undefined}
                  variant={copied ? 'light' : 'filled'}
                  onClick={copy}
                  leftSection={copied ? <CheckIcon size={16} /> : undefined}
                >
                  {copied ? 'Copied' : 'Copy token'}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={close}>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label="Name"
              description="What uses this token, e.g. “Billing sync”."
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={create.isError ? errorMessage(create.error) : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function RevokeModal({ token, onClose }: { token: TokenDto | null; onClose: () => void }) {
  const notify = useNotify();
  const revoke = useApiMutation(
    (id: string) => api.del<void>(`${CONSOLE_API}/tokens/${encodeURIComponent(id)}`),
    () => [['tokens']],
  );
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal
      opened={token !== null}
      onClose={close}
      title="Revoke token?"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        <Text size="sm">
          Requests using <strong>{token?.name}</strong> (<Code>{token?.prefix}…</Code>) are refused from now
          on. This cannot be undone.
        </Text>
        {revoke.isError && (
          <Text c="red.8" size="sm" role="alert">
            {errorMessage(revoke.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() =>
              token &&
              revoke.mutate(token.id, {
                onSuccess: () => {
                  notify({ title: 'Token revoked', message: `${token.name} no longer works.` });
                  close();
                },
              })
            }
          >
            Revoke token
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
