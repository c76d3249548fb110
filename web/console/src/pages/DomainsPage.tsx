import { Anchor, Button, Card, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { DomainDto } from '../../../../common/api.ts';
import { api } from '../../../ui/api.ts';
import { AppModal } from '../components/AppModal.tsx';
import { StateBadge } from '../components/Badges.tsx';
import { PlusIcon, SearchIcon } from '../components/Icons.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../components/States.tsx';
import {
  CONSOLE_API,
  errorField,
  errorMessage,
  PAGE_SIZE,
  useApiMutation,
  useDomains,
  useListParams,
  useSearchBox,
  useTitle,
} from '../hooks.ts';

export function DomainsPage() {
  useTitle('Domains');
  const { page, values, set } = useListParams(['q'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = useDomains({ q: values.q, page });
  const [adding, addModal] = useDisclosure(false);

  return (
    <>
      <PageHeader
        title="Domains"
        subtitle="Each domain is a branded customer portal with its own features, sign-up policy and email."
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={addModal.open}>
            Add domain
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        <TextInput
          label="Search domains"
          placeholder="Domain or brand name"
          leftSection={<SearchIcon size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          maw={420}
          mb="md"
          type="search"
        />
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          values.q ? (
            <Empty title="No matching domains" description={`Nothing matches “${values.q}”.`} />
          ) : (
            <Empty
              title="No domains yet"
              description="Add a domain to give your customers a branded portal."
              action={<Button onClick={addModal.open}>Add domain</Button>}
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table aria-label="Domains">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Domain</Table.Th>
                    <Table.Th scope="col">Brand</Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Sign-up</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {list.data.items.map((d) => (
                    <DomainRow key={d.id} d={d} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              pageSize={list.data.page_size || PAGE_SIZE}
              total={list.data.total}
              onChange={(p) => set({ page: p })}
              noun="domains"
            />
          </>
        )}
      </Card>
      <AddDomainModal opened={adding} onClose={addModal.close} />
    </>
  );
}

function DomainRow({ d }: { d: DomainDto }) {
  const signup = [d.customer_signup && 'Customers', d.carrier_signup && 'Carriers']
    .filter(Boolean)
    .join(', ');
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/domains/${d.id}`} className="row-link">
          {d.domain}
        </Anchor>
      </Table.Td>
      <Table.Td>{d.brand_name}</Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <StateBadge state={d.state} />
          {d.reason && d.state !== 'active' && (
            <Text size="xs" c="dimmed" lineClamp={2} maw={320}>
              {d.reason}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={signup ? undefined : 'dimmed'}>
          {signup || 'Off'}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function AddDomainModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const [domain, setDomain] = useState('');
  const [brand, setBrand] = useState('');
  const create = useApiMutation(
    (body: { domain: string; brand_name: string }) => api.post<DomainDto>(`${CONSOLE_API}/domains`, body),
    () => [['domains']],
  );
  const field = errorField(create.error);
  const close = () => {
    create.reset();
    setDomain('');
    setBrand('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { domain: domain.trim().toLowerCase(), brand_name: brand.trim() },
      {
        onSuccess: (d) => {
          notify({ title: 'Domain added', message: `${d.domain} was created. Configure it below.` });
          close();
          void navigate(`/domains/${d.id}`);
        },
      },
    );
  };
  return (
    <AppModal opened={opened} onClose={close} title="Add domain">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Domain"
            description="The host name customers will visit, e.g. portal.example.com. Point a CNAME at the platform."
            placeholder="portal.example.com"
            required
            data-autofocus
            value={domain}
            onChange={(e) => setDomain(e.currentTarget.value)}
            error={field === 'domain' ? errorMessage(create.error) : undefined}
            autoComplete="off"
            spellCheck={false}
          />
          <TextInput
            label="Brand name"
            description="Shown in the portal header, page titles and emails."
            required
            value={brand}
            onChange={(e) => setBrand(e.currentTarget.value)}
            error={field === 'brand_name' ? errorMessage(create.error) : undefined}
          />
          {create.isError && field !== 'domain' && field !== 'brand_name' && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!domain.trim() || !brand.trim()}>
              Add domain
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
