/** Create (token shown once) and revoke dialogs of the API tokens page. */
import { Alert, Button, Code, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { AlertIcon, CheckIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { CONSOLE_API, errorMessage, useApiMutation } from '../../hooks.ts';
import type { NewTokenDto, TokenDto } from '../../types.ts';

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
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
    <AppModal
      opened={opened}
      onClose={close}
      title={created ? 'Token created' : 'Create API token'}
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack>
          <Alert color="orange" variant="light" icon={<AlertIcon />} title="Copy this token now">
            It won&rsquo;t be shown again. Store it in a secret manager; if it is lost, revoke it and create a
            new one.
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={4} id="new-token-label">
              Token &ldquo;{created.name}&rdquo;
            </Text>
            <Code
              block
              aria-labelledby="new-token-label"
              fz="sm"
              style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {created.token}
            </Code>
          </div>
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
    </AppModal>
  );
}

export function RevokeModal({ token, onClose }: { token: TokenDto | null; onClose: () => void }) {
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
    <AppModal opened={token !== null} onClose={close} title="Revoke token?">
      <Stack>
        <Text size="sm">
          Requests using <strong>{token?.name}</strong> (<Code>{token?.prefix}…</Code>) are refused from now
          on. This cannot be undone.
        </Text>
        {revoke.isError && (
          <Text c="red.9" size="sm" role="alert">
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
    </AppModal>
  );
}
