/** A company's SIP users: digest credentials for trunks and extensions. Passwords are set, never shown again. */
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { CrudTable, EditorActions, useCrudParams } from '../../components/CrudTable.tsx';
import { AlertIcon, CheckIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import {
  generatePassword,
  limitText,
  parseLimit,
  SIP_PROTOCOLS,
  type SipProtocol,
  type SipUserDto,
  useSipUsers,
} from './telecom.ts';

const MIN_PASSWORD = 10;
const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
const protocolLabel = (p: SipProtocol) => SIP_PROTOCOLS.find((x) => x.value === p)?.label ?? p;

export function SipUsersTab({ company }: { company: CompanyDto }) {
  const params = useCrudParams();
  const list = useSipUsers(company.id, { q: params.q, page: params.page });

  return (
    <CrudTable<SipUserDto>
      title="SIP users"
      description={
        <>
          Usernames and passwords {company.name}&rsquo;s phones and PBXs register with. Usernames are unique
          across all your customers.
        </>
      }
      addLabel="Add SIP user"
      query={list}
      tableLabel={`SIP users of ${company.name}`}
      minWidth={760}
      search={{ ...params.search, label: 'Search usernames', noMatch: 'No matching SIP users' }}
      paging={{ ...params.paging, noun: 'SIP users' }}
      empty={{
        title: 'No SIP users yet',
        description:
          "Add a SIP user so the customer's equipment can authenticate with a username and password.",
        withAddButton: true,
      }}
      columns={[
        { header: 'Username', td: { ff: 'monospace', fw: 600 }, cell: (u) => u.username },
        { header: 'Protocol', cell: (u) => protocolLabel(u.protocol) },
        { header: 'Channels', align: 'right', cell: (u) => limitText(u.channels) },
        { header: 'CPS', align: 'right', cell: (u) => limitText(u.cps) },
        {
          header: 'Allowed IPs',
          cell: (u) =>
            u.ip_whitelist.length === 0 ? (
              <Text size="sm" c="dimmed">
                Any
              </Text>
            ) : (
              <Group gap={4}>
                {u.ip_whitelist.map((ip) => (
                  <Code key={ip}>{ip}</Code>
                ))}
              </Group>
            ),
        },
        {
          header: 'Password',
          cell: () => (
            <Badge variant="light" color="green">
              set
            </Badge>
          ),
        },
      ]}
      rowName={(u) => u.username}
      editor={(user, close) => (
        <SipUserModal key={user?.id ?? 'new'} company={company} user={user} onClose={close} />
      )}
      remover={(user, opened, close) => (
        <ConfirmDeleteModal
          opened={opened}
          title="Delete SIP user?"
          url={user ? `${companyPath(company.id)}/sip-users/${encodeURIComponent(user.id)}` : null}
          invalidate={[['companies', 'detail', company.id, 'sip-users']]}
          confirmLabel="Delete SIP user"
          done="SIP user deleted"
          onClose={close}
        >
          Devices signing in as <strong>{user?.username}</strong> are refused from now on. This cannot be
          undone.
        </ConfirmDeleteModal>
      )}
    />
  );
}

interface Form {
  username: string;
  password: string;
  protocol: SipProtocol;
  channels: string;
  cps: string;
  ip_whitelist: string[];
}

const FIELDS = ['username', 'password', 'protocol', 'channels', 'cps', 'ip_whitelist'];

function SipUserModal({
  company,
  user,
  onClose,
}: {
  company: CompanyDto;
  user: SipUserDto | null;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [form, setForm] = useState<Form>(() => ({
    username: user?.username ?? '',
    password: '',
    protocol: user?.protocol ?? 'udp',
    channels: user?.channels == null ? '' : String(user.channels),
    cps: user?.cps == null ? '' : String(user.cps),
    ip_whitelist: user?.ip_whitelist ?? [],
  }));
  // After saving with a password, the dialog shows it once so it can be copied.
  const [saved, setSaved] = useState<{ user: SipUserDto; password: string } | null>(null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const save = useApiMutation(
    (body: Record<string, unknown>) =>
      user
        ? api.patch<SipUserDto>(`${companyPath(company.id)}/sip-users/${encodeURIComponent(user.id)}`, body)
        : api.post<SipUserDto>(`${companyPath(company.id)}/sip-users`, body),
    () => [['companies', 'detail', company.id, 'sip-users']],
  );
  const field = errorField(save.error);
  const serverErr = (k: string) => (field === k ? errorMessage(save.error) : undefined);
  const username = form.username.trim();
  const renamed = user !== null && username !== user.username;
  const needsPassword = user === null || renamed;
  const channels = parseLimit(form.channels);
  const cps = parseLimit(form.cps);
  const localErr = {
    username:
      username && !USERNAME.test(username)
        ? '3–64 characters: letters, digits, dot, dash and underscore.'
        : undefined,
    password:
      form.password && form.password.length < MIN_PASSWORD
        ? `At least ${MIN_PASSWORD} characters.`
        : renamed && !form.password
          ? 'A new username needs a new password.'
          : undefined,
    channels: channels === undefined ? 'Enter a whole number, or leave empty for unlimited.' : undefined,
    cps: cps === undefined ? 'Enter a whole number, or leave empty for unlimited.' : undefined,
  };
  const invalid = Object.values(localErr).some(Boolean) || !username || (needsPassword && !form.password);
  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    const password = form.password;
    save.mutate(
      {
        username,
        ...(password ? { password } : {}),
        protocol: form.protocol,
        channels,
        cps,
        ip_whitelist: form.ip_whitelist,
      },
      {
        onSuccess: (u) => {
          notify({ title: user ? 'SIP user saved' : 'SIP user added', message: u.username });
          if (password) {
            setSaved({ user: u, password });
            setForm((f) => ({ ...f, password: '' }));
          } else close();
        },
      },
    );
  };

  if (saved) {
    return (
      <AppModal opened onClose={close} title="Password set" size="lg" closeOnClickOutside={false}>
        <Stack>
          <Alert color="orange" variant="light" icon={<AlertIcon />} title="Copy the password now">
            It is stored only as a digest and cannot be shown again. If it is lost, set a new one with Edit.
          </Alert>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <div>
              <Text size="sm" fw={500}>
                Username
              </Text>
              <Code>{saved.user.username}</Code>
            </div>
            <div>
              <Text size="sm" fw={500}>
                Realm
              </Text>
              <Code>{saved.user.realm}</Code>
            </div>
          </SimpleGrid>
          <div>
            <Text size="sm" fw={500} mb={4} id="sip-saved-password">
              Password
            </Text>
            <Code
              block
              aria-labelledby="sip-saved-password"
              fz="sm"
              style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap', userSelect: 'all' }}
            >
              {saved.password}
            </Code>
          </div>
          <Group justify="flex-end">
            <CopyButton value={saved.password} timeout={2500}>
              {({ copied, copy }) => (
                <Button
                  color={copied ? 'green' : undefined}
                  variant={copied ? 'light' : 'filled'}
                  onClick={copy}
                  leftSection={copied ? <CheckIcon size={16} /> : undefined}
                >
                  {copied ? 'Copied' : 'Copy password'}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={close}>
              Done
            </Button>
          </Group>
        </Stack>
      </AppModal>
    );
  }

  return (
    <AppModal
      opened
      onClose={close}
      title={user ? `Edit SIP user ${user.username}` : 'Add SIP user'}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Username"
            description="Unique across all your customers; letters, digits, dot, dash and underscore."
            required
            data-autofocus
            autoComplete="off"
            value={form.username}
            onChange={(e) => set({ username: e.currentTarget.value })}
            error={serverErr('username') ?? localErr.username}
          />
          <div>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <PasswordInput
                label={user ? 'New password' : 'Password'}
                description={
                  user
                    ? renamed
                      ? 'Renaming needs a new password (the stored digest includes the username).'
                      : 'Leave empty to keep the current password.'
                    : `At least ${MIN_PASSWORD} characters.`
                }
                required={needsPassword}
                autoComplete="new-password"
                value={form.password}
                onChange={(e) => set({ password: e.currentTarget.value })}
                error={serverErr('password') ?? localErr.password}
                style={{ flex: 1 }}
              />
              <Button variant="default" onClick={() => set({ password: generatePassword() })}>
                Generate
              </Button>
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              The password cannot be shown again after saving; you can copy it on the next screen.
            </Text>
          </div>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Protocol"
              data={SIP_PROTOCOLS}
              value={form.protocol}
              onChange={(v) => v && set({ protocol: v as SipProtocol })}
              allowDeselect={false}
              error={serverErr('protocol')}
            />
            <TextInput
              label="Channels"
              description={
                company.channels === null
                  ? 'Concurrent calls. Empty: unlimited.'
                  : `Concurrent calls, out of the company's ${company.channels}. Empty: shares the company limit.`
              }
              inputMode="numeric"
              value={form.channels}
              onChange={(e) => set({ channels: e.currentTarget.value })}
              error={serverErr('channels') ?? localErr.channels}
            />
            <TextInput
              label="CPS"
              description="Calls per second. Empty: unlimited."
              inputMode="numeric"
              value={form.cps}
              onChange={(e) => set({ cps: e.currentTarget.value })}
              error={serverErr('cps') ?? localErr.cps}
            />
          </SimpleGrid>
          <TagsInput
            label="Allowed IP addresses"
            description="Only these addresses or ranges (e.g. 192.0.2.0/24) may use this user; press Enter after each. Empty: any address."
            value={form.ip_whitelist}
            onChange={(ip_whitelist) => set({ ip_whitelist })}
            error={serverErr('ip_whitelist')}
            maxTags={50}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear allowed IP addresses' }}
          />
          <EditorActions
            error={save.error}
            fields={FIELDS}
            onCancel={close}
            submitLabel={user ? 'Save SIP user' : 'Add SIP user'}
            saving={save.isPending}
            disabled={invalid}
          />
        </Stack>
      </form>
    </AppModal>
  );
}
