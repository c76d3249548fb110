/** Every DID of the operator: search, company filter, multi-select and bulk edit. */
import { Button } from '@mantine/core';
import { PlusIcon } from '../components/Icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useTitle } from '../hooks.ts';
import { DidList } from './company/DidList.tsx';

/** Nav icon of the DIDs page (a handset; decorative, like the shared icons). */
export const PhoneIcon = ({ size = 18 }: { size?: number }) => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={2}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.8a2 2 0 0 1-.5 2.1L8 9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.8.7a2 2 0 0 1 1.8 2z" />
  </svg>
);

export function DidsPage() {
  useTitle('DIDs');
  return (
    <DidList
      header={(add) => (
        <PageHeader
          title="DIDs"
          subtitle="Inbound numbers: in stock or assigned to a customer, with where their calls go. Select several to edit them together."
          actions={
            <Button leftSection={<PlusIcon size={16} />} onClick={add}>
              Add DID
            </Button>
          }
        />
      )}
    />
  );
}
