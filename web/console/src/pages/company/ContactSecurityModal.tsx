/** A contact's sign-in security as the operator manages it: IP allow-list, 2FA reset, invitation, "log in as". */
import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { ContactDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { companyPath, errorMessage, useApiMutation } from '../../hooks.ts';

interface ContactSecurity {
  ip_allow: string[];
  totp_enabled: boolean;
  totp_enabled_at: string | null;
  active_sessions: number;
}

const contactPath = (companyId: string, contactId: string) =>
  `${companyPath(companyId)}/contacts/${encodeURIComponent(contactId)}`;

export function ContactSecurityModal({
  companyId,
  contact,
  onClose,
}: {
  companyId: string;
  contact: ContactDto | null;
  onClose: () => void;
}) {
  const notify = useNotify();
  const key = ['companies', 'detail', companyId, 'contacts', contact?.id, 'security'];
  const security = useQuery({
    queryKey: key,
    queryFn: () => api.get<ContactSecurity>(`${contactPath(companyId, contact!.id)}/security`),
    enabled: contact !== null,
  });
  const [text, setText] = useState('');
  useEffect(() => {
    if (security.data) setText(security.data.ip_allow.join('\n'));
  }, [security.data]);
  const save = useApiMutation(
    (cidrs: string[]) =>
      api.put<ContactSecurity>(`${contactPath(companyId, contact!.id)}/ip-allow`, { cidrs }),
    () => [key],
  );
  const resetTotp = useApiMutation(
    () => api.del<ContactSecurity>(`${contactPath(companyId, contact!.id)}/totp`),
    () => [key],
  );
  const close = () => {
    save.reset();
    resetTotp.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const cidrs = text
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    save.mutate(cidrs, {
      onSuccess: () =>
        notify({
          title: 'Allowed addresses saved',
          message: cidrs.length
            ? `${contact?.name} may sign in only from ${cidrs.length} range(s).`
            : 'Any address is allowed.',
        }),
    });
  };

  return (
    <AppModal opened={contact !== null} onClose={close} title={`Sign-in security: ${contact?.name ?? ''}`}>
      {security.isPending ? (
        <LoadingState />
      ) : security.isError ? (
        <ErrorState error={security.error} onRetry={() => void security.refetch()} />
      ) : (
        <Stack>
          <form onSubmit={submit} noValidate>
            <Stack gap="xs">
              <Textarea
                label="Allowed addresses"
                description="IP addresses or CIDR ranges, one per line. Empty: any address. Checked at sign-in and on every request."
                autosize
                minRows={3}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={save.isError ? errorMessage(save.error) : undefined}
                styles={{ input: { fontFamily: 'monospace' } }}
              />
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>
                  Save addresses
                </Button>
              </Group>
            </Stack>
          </form>
          <Stack gap={4}>
            <Text fw={600} size="sm">
              Two-factor sign-in
            </Text>
            <Text size="sm">
              {security.data.totp_enabled
                ? 'On (the contact enrolled an authenticator app).'
                : 'Off. Contacts turn it on from their Security page.'}{' '}
              {security.data.active_sessions} active session(s).
            </Text>
            {security.data.totp_enabled ? (
              <Group>
                <Button
                  variant="default"
                  color="red"
                  loading={resetTotp.isPending}
                  onClick={() =>
                    resetTotp.mutate(undefined, {
                      onSuccess: () =>
                        notify({
                          title: 'Two-factor sign-in turned off',
                          message: `${contact?.name} signs in with the password only.`,
                        }),
                    })
                  }
                >
                  Turn off two-factor sign-in
                </Button>
              </Group>
            ) : null}
            {resetTotp.isError ? <Alert color="red">{errorMessage(resetTotp.error)}</Alert> : null}
          </Stack>
        </Stack>
      )}
    </AppModal>
  );
}

/** "Invite" and "Log in as" buttons of a contact row. */
export function ContactAccessButtons({ companyId, contact }: { companyId: string; contact: ContactDto }) {
  const notify = useNotify();
  const invite = useApiMutation(
    () => api.post<{ sent_to: string; domain: string }>(`${contactPath(companyId, contact.id)}/invite`),
    () => [['mail-jobs']],
  );
  const loginAs = useApiMutation(
    () => api.post<{ url: string }>(`${contactPath(companyId, contact.id)}/login-as`),
    () => [],
  );
  return (
    <>
      <Button
        size="xs"
        variant="default"
        loading={invite.isPending}
        aria-label={`Send an invitation to ${contact.name}`}
        onClick={() =>
          invite.mutate(undefined, {
            onSuccess: (r) =>
              notify({
                title: 'Invitation sent',
                message: `A link to set a password is on its way to ${r.sent_to}.`,
              }),
            onError: (e) => notify({ title: 'Could not invite', message: errorMessage(e), color: 'red' }),
          })
        }
      >
        Invite
      </Button>
      <Button
        size="xs"
        variant="default"
        loading={loginAs.isPending}
        aria-label={`Log in to the portal as ${contact.name}`}
        onClick={() => {
          // Opened before the request so the browser treats it as the user's own click.
          const tab = window.open('about:blank', '_blank');
          loginAs.mutate(undefined, {
            onSuccess: (r) => {
              if (tab) {
                tab.opener = null;
                tab.location.href = r.url;
              } else window.location.href = r.url;
            },
            onError: (e) => {
              tab?.close();
              notify({ title: 'Could not log in as the contact', message: errorMessage(e), color: 'red' });
            },
          });
        }}
      >
        Log in as
      </Button>
    </>
  );
}
