import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { CompanyDto, ContactDto } from '../../../../../common/api.ts';
import { PlusIcon } from '../../components/Icons.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';
import { useContacts } from '../../hooks.ts';
import { AddContactModal, ResetPasswordModal } from './ContactModals.tsx';

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
