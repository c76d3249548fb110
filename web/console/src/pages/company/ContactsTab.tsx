import {
  Button,
  Card,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto, ContactDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { PlusIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';
import { companyPath, errorField, errorMessage, useApiMutation, useContacts } from '../../hooks.ts';

const MIN_PASSWORD = 10;

export function ContactsTab({ company }: { company: CompanyDto }) {
  const contacts = useContacts(company.id);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<ContactDto | null>(null);

  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4">
            Contacts
          </Title>
          <Text size="sm" c="dimmed">
            People who sign in to the portal for {company.name}.
          </Text>
        </div>
        <Button leftSection={<PlusIcon size={16} />} onClick={() => setAdding(true)}>
          Add contact
        </Button>
      </Group>
      {contacts.isPending ? (
        <TableSkeleton rows={3} />
      ) : contacts.isError ? (
        <ErrorState error={contacts.error} onRetry={() => void contacts.refetch()} />
      ) : contacts.data.items.length === 0 ? (
        <Empty title="No contacts yet" description="Add a contact so someone can sign in to the portal." />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Contacts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Email</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
                <Table.Th scope="col">Last sign-in</Table.Th>
                <Table.Th scope="col">
                  <span className="sr-only">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td fw={500}>{c.name}</Table.Td>
                  <Table.Td>{c.email}</Table.Td>
                  <Table.Td>{formatDateTime(c.created_at)}</Table.Td>
                  <Table.Td>
                    {c.last_login_at ? (
                      formatDateTime(c.last_login_at)
                    ) : (
                      <Text size="sm" c="dimmed">
                        Never
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setResetting(c)}
                      aria-label={`Reset password for ${c.name}`}
                    >
                      Reset password
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddContactModal companyId={company.id} opened={adding} onClose={() => setAdding(false)} />
      <ResetPasswordModal companyId={company.id} contact={resetting} onClose={() => setResetting(null)} />
    </Card>
  );
}

function AddContactModal({
  companyId,
  opened,
  onClose,
}: {
  companyId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const create = useApiMutation(
    (body: typeof form) =>
      api.post<ContactDto>(`${companyPath(companyId)}/contacts`, {
        name: body.name.trim(),
        email: body.email.trim(),
        ...(body.password ? { password: body.password } : {}),
      }),
    () => [['companies', 'detail', companyId, 'contacts']],
  );
  const field = errorField(create.error);
  const err = (k: string) => (field === k ? errorMessage(create.error) : undefined);
  const close = () => {
    create.reset();
    setForm({ name: '', email: '', password: '' });
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form, {
      onSuccess: (c) => {
        notify({
          title: 'Contact added',
          message: form.password ? `${c.name} can sign in now.` : `An invitation was sent to ${c.email}.`,
        });
        close();
      },
    });
  };
  return (
    <Modal opened={opened} onClose={close} title="Add contact" closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            required
            data-autofocus
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            error={err('name')}
          />
          <TextInput
            label="Email"
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            error={err('email')}
            autoComplete="off"
          />
          <PasswordInput
            label="Password"
            description="At least 10 characters. Leave empty to email an invitation instead."
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            error={err('password')}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
          />
          {create.isError && !['name', 'email', 'password'].includes(field ?? '') && (
            <Text c="red.8" size="sm" role="alert">
              {errorMessage(create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={
                !form.name.trim() ||
                !form.email.trim() ||
                (form.password !== '' && form.password.length < MIN_PASSWORD)
              }
            >
              Add contact
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ResetPasswordModal({
  companyId,
  contact,
  onClose,
}: {
  companyId: string;
  contact: ContactDto | null;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [password, setPassword] = useState('');
  const reset = useApiMutation(
    (v: { id: string; password: string }) =>
      api.post<void>(`${companyPath(companyId)}/contacts/${encodeURIComponent(v.id)}/reset-password`, {
        password: v.password,
      }),
    () => [],
  );
  const close = () => {
    reset.reset();
    setPassword('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!contact) return;
    reset.mutate(
      { id: contact.id, password },
      {
        onSuccess: () => {
          notify({
            title: 'Password changed',
            message: `${contact.name} can sign in with the new password.`,
          });
          close();
        },
      },
    );
  };
  return (
    <Modal
      opened={contact !== null}
      onClose={close}
      title="Reset password"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            Set a new password for <strong>{contact?.name}</strong> ({contact?.email}).
          </Text>
          <PasswordInput
            label="New password"
            description="At least 10 characters."
            required
            data-autofocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={reset.isError ? errorMessage(reset.error) : undefined}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={reset.isPending} disabled={password.length < MIN_PASSWORD}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
