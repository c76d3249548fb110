/** A "Delete …?" confirmation dialog that runs a DELETE and refreshes the given queries. */
import { Button, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { errorMessage, useApiMutation } from '../../hooks.ts';

export function ConfirmDeleteModal({
  opened,
  title,
  url,
  invalidate,
  confirmLabel,
  done,
  doneMessage,
  onClose,
  children,
}: {
  opened: boolean;
  title: string;
  /** The DELETE endpoint. */
  url: string | null;
  invalidate: readonly (readonly unknown[])[];
  confirmLabel: string;
  /** Toast title after success, and its optional text. */
  done: string;
  doneMessage?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const notify = useNotify();
  const del = useApiMutation(
    (u: string) => api.del<void>(u),
    () => invalidate,
  );
  const close = () => {
    del.reset();
    onClose();
  };
  return (
    <AppModal opened={opened} onClose={close} title={title}>
      <Stack>
        <Text size="sm" component="div">
          {children}
        </Text>
        {del.isError && (
          <Text c="red.9" size="sm" role="alert">
            {errorMessage(del.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={del.isPending}
            onClick={() =>
              url &&
              del.mutate(url, {
                onSuccess: () => {
                  notify({ title: done, ...(doneMessage ? { message: doneMessage } : {}) });
                  close();
                },
              })
            }
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
