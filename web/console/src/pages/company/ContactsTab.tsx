/** A company's contacts: the people who sign in to its portal. */
import { Button, Text } from '@mantine/core';
import { useState } from 'react';
import type { CompanyDto, ContactDto } from '../../../../../common/api.ts';
import { CrudTable } from '../../components/CrudTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useContacts } from '../../hooks.ts';
import { AddContactModal, ResetPasswordModal } from './ContactModals.tsx';
import { ContactAccessButtons, ContactSecurityModal } from './ContactSecurityModal.tsx';

export function ContactsTab({ company }: { company: CompanyDto }) {
  const contacts = useContacts(company.id);
  const [resetting, setResetting] = useState<ContactDto | null>(null);
  const [securing, setSecuring] = useState<ContactDto | null>(null);

  return (
    <>
      <CrudTable<ContactDto>
        title="Contacts"
        description={<>People who sign in to the portal for {company.name}.</>}
        addLabel="Add contact"
        query={contacts}
        tableLabel="Contacts"
        minWidth={640}
        empty={{
          title: 'No contacts yet',
          description: 'Add a contact so someone can sign in to the portal.',
        }}
        columns={[
          { header: 'Name', td: { fw: 500 }, cell: (c) => c.name },
          { header: 'Email', cell: (c) => c.email },
          { header: 'Added', cell: (c) => formatDateTime(c.created_at) },
          {
            header: 'Last sign-in',
            cell: (c) =>
              c.last_login_at ? (
                formatDateTime(c.last_login_at)
              ) : (
                <Text size="sm" c="dimmed">
                  Never
                </Text>
              ),
          },
        ]}
        rowName={(c) => c.name}
        editor={(_, close) => <AddContactModal companyId={company.id} opened onClose={close} />}
        editRows={false}
        rowActions={(c) => (
          <>
            <ContactAccessButtons companyId={company.id} contact={c} />
            <Button
              size="xs"
              variant="default"
              onClick={() => setSecuring(c)}
              aria-label={`Sign-in security of ${c.name}`}
            >
              Security
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() => setResetting(c)}
              aria-label={`Reset password for ${c.name}`}
            >
              Reset password
            </Button>
          </>
        )}
      />
      <ResetPasswordModal companyId={company.id} contact={resetting} onClose={() => setResetting(null)} />
      <ContactSecurityModal companyId={company.id} contact={securing} onClose={() => setSecuring(null)} />
    </>
  );
}
