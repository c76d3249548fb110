import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { DomainDto, SmtpSecurity } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AlertIcon, CheckIcon, XIcon } from '../../components/Icons.tsx';
import { CONSOLE_API, errorMessage, useApiMutation } from '../../hooks.ts';
import type { TestEmailResult } from '../../types.ts';
import type { TabProps } from './BasicTab.tsx';
import type { UpdateSmtp } from './draft.ts';

const SECURITY: { value: SmtpSecurity; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'tls', label: 'TLS' },
];

export function SmtpTab({
  draft,
  errorFor,
  saved,
  updateSmtp,
}: TabProps & { saved: DomainDto; updateSmtp: UpdateSmtp }) {
  const s = draft.smtp;
  const stored = saved.smtp?.password_set === true;
  const err = (k: string) => errorFor(`smtp.${k}`) ?? errorFor(`smtp_${k}`);
  const smtpDirty =
    JSON.stringify(s) !== JSON.stringify({ ...s, ...pick(saved) }) || s.password !== '' || s.clearPassword;

  return (
    <Stack gap="lg">
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4">
          Outgoing email
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Sign-up verification, alerts and notifications of this brand go out through this SMTP server.
        </Text>
        {errorFor('smtp') &&
          !['host', 'port', 'security', 'username', 'password', 'from'].some((k) => err(k)) && (
            <Alert color="red" variant="light" mb="md" icon={<AlertIcon />}>
              {errorFor('smtp')}
            </Alert>
          )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <TextInput
            label="Host"
            placeholder="smtp.example.com"
            value={s.host}
            onChange={(e) => updateSmtp({ host: e.currentTarget.value })}
            error={err('host')}
            spellCheck={false}
            autoComplete="off"
          />
          <Group grow align="flex-start" gap="md">
            <NumberInput
              label="Port"
              placeholder={s.security === 'tls' ? '465' : '587'}
              min={1}
              max={65535}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={s.port}
              onChange={(v) =>
                updateSmtp({ port: typeof v === 'number' ? v : v === '' ? '' : Number(v) || '' })
              }
              error={err('port')}
            />
            <Select
              label="Security"
              data={SECURITY}
              value={s.security}
              onChange={(v) => v && updateSmtp({ security: v as SmtpSecurity })}
              allowDeselect={false}
              error={err('security')}
            />
          </Group>
          <TextInput
            label="Username"
            value={s.username}
            onChange={(e) => updateSmtp({ username: e.currentTarget.value })}
            error={err('username')}
            autoComplete="off"
            spellCheck={false}
          />
          <Stack gap={6}>
            <PasswordInput
              label="Password"
              description={
                stored && !s.clearPassword ? 'Leave empty to keep the stored password.' : undefined
              }
              placeholder={
                stored && !s.clearPassword
                  ? 'A password is stored'
                  : s.clearPassword
                    ? 'Will be cleared on save'
                    : undefined
              }
              value={s.password}
              onChange={(e) => updateSmtp({ password: e.currentTarget.value, clearPassword: false })}
              error={err('password')}
              autoComplete="new-password"
            />
            {stored && !s.clearPassword && (
              <Button
                variant="subtle"
                color="red"
                size="compact-sm"
                w="fit-content"
                onClick={() => updateSmtp({ password: '', clearPassword: true })}
              >
                Clear stored password
              </Button>
            )}
            {s.clearPassword && (
              <Group gap="xs">
                <Text size="sm" c="var(--mantine-color-orange-light-color)">
                  The stored password will be removed when you save.
                </Text>
                <Button
                  variant="subtle"
                  size="compact-sm"
                  onClick={() => updateSmtp({ clearPassword: false })}
                >
                  Keep it
                </Button>
              </Group>
            )}
          </Stack>
          <TextInput
            label="From address"
            placeholder="noreply@example.com"
            description="A plain email address, e.g. noreply@your-brand.com."
            value={s.from}
            onChange={(e) => updateSmtp({ from: e.currentTarget.value })}
            error={err('from')}
            spellCheck={false}
          />
        </SimpleGrid>
      </Card>
      <TestEmail domainId={saved.id} unsaved={smtpDirty} />
    </Stack>
  );
}

function pick(saved: DomainDto) {
  return {
    host: saved.smtp?.host ?? '',
    port: saved.smtp?.port ?? '',
    security: saved.smtp?.security ?? 'starttls',
    username: saved.smtp?.username ?? '',
    from: saved.smtp?.from ?? '',
  };
}

function TestEmail({ domainId, unsaved }: { domainId: string; unsaved: boolean }) {
  const [to, setTo] = useState('');
  const test = useApiMutation(
    (body: { to: string }) =>
      api.post<TestEmailResult>(`${CONSOLE_API}/domains/${encodeURIComponent(domainId)}/test-email`, body),
    () => [],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    test.mutate({ to: to.trim() });
  };
  const result = test.data;
  return (
    <Card withBorder radius="md" p="lg">
      <Title order={2} size="h4">
        Send test email
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Sends a message through the saved settings and shows the server&rsquo;s answer.
        {unsaved && ' You have unsaved SMTP changes: save them first to test them.'}
      </Text>
      <form onSubmit={submit} noValidate>
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Recipient"
            type="email"
            placeholder="you@example.com"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            style={{ flex: '1 1 260px' }}
            maw={420}
            autoComplete="email"
          />
          <Button type="submit" variant="default" loading={test.isPending} disabled={!to.trim()}>
            Send test email
          </Button>
        </Group>
      </form>
      {(result || test.isError) && (
        <Alert
          mt="md"
          variant="light"
          color={result?.ok && !test.isError ? 'green' : 'red'}
          icon={result?.ok && !test.isError ? <CheckIcon /> : <XIcon />}
          title={result?.ok && !test.isError ? 'Test email sent' : 'Test email failed'}
        >
          <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {test.isError ? errorMessage(test.error) : result?.message}
          </Text>
        </Alert>
      )}
    </Card>
  );
}
