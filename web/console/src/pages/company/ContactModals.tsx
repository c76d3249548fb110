/** Add-contact and reset-password dialogs of a company's Contacts tab. */
import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { ContactDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';

const MIN_PASSWORD = 10;

export function AddContactModal({
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
    <AppModal opened={opened} onClose={close} title="Add contact">
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
          />
          {create.isError && !['name', 'email', 'password'].includes(field ?? '') && (
            <Text c="red.9" size="sm" role="alert">
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
    </AppModal>
  );
}

export function ResetPasswordModal({
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
    <AppModal opened={contact !== null} onClose={close} title="Reset password">
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
    </AppModal>
  );
}
