import { Anchor, Button, Card, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { StatusBadge, TypeBadge } from '../components/Badges.tsx';
import { useDomainNames } from '../components/DomainSelect.tsx';
import { PlusIcon, SearchIcon } from '../components/Icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../components/States.tsx';
import { COMPANY_STATUSES, formatMoney, sentence } from '../format.ts';
import { PAGE_SIZE, useCompanies, useListParams, useSearchBox, useTitle } from '../hooks.ts';
import { AddCompanyModal } from './company/AddCompanyModal.tsx';

const ALL = 'all';
const TYPE_OPTIONS = [
  { value: ALL, label: 'All types' },
  { value: 'customer', label: 'Customers' },
  { value: 'carrier', label: 'Carriers' },
];
const STATUS_OPTIONS = [
  { value: ALL, label: 'All statuses' },
  ...COMPANY_STATUSES.map((s) => ({ value: s, label: sentence(s) })),
];

export function CompaniesPage() {
  useTitle('Companies');
  const { page, values, set } = useListParams(['q', 'type', 'status'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = useCompanies({ q: values.q, type: values.type, status: values.status, page });
  const domainNames = useDomainNames();
  const [adding, addModal] = useDisclosure(false);
  const filtered = !!(values.q || values.type || values.status);

  return (
    <>
      <PageHeader
        title="Companies"
        subtitle="Customers buy your services; carriers supply them. Their contacts sign in to the portal."
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={addModal.open}>
            Add company
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" gap="sm" align="flex-end">
          <TextInput
            label="Search companies"
            placeholder="Name"
            type="search"
            leftSection={<SearchIcon size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 240px' }}
            maw={360}
          />
          <Select
            label="Type"
            data={TYPE_OPTIONS}
            value={values.type || ALL}
            onChange={(v) => set({ type: !v || v === ALL ? '' : v })}
            allowDeselect={false}
            w={160}
          />
          <Select
            label="Status"
            data={STATUS_OPTIONS}
            value={values.status || ALL}
            onChange={(v) => set({ status: !v || v === ALL ? '' : v })}
            allowDeselect={false}
            w={190}
          />
          {filtered && (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                set({ q: '', type: '', status: '' });
              }}
            >
              Clear filters
            </Button>
          )}
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          filtered ? (
            <Empty title="No matching companies" description="Try another search or clear the filters." />
          ) : (
            <Empty
              title="No companies yet"
              description="Add your first customer or carrier, or turn on sign-up on a domain."
              action={<Button onClick={addModal.open}>Add company</Button>}
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table aria-label="Companies">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Type</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Currency</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Debit limit
                    </Table.Th>
                    <Table.Th scope="col">Domain</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {list.data.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/companies/${c.id}`} className="row-link">
                          {c.name}
                        </Anchor>
                        {!c.portal_access && (
                          <Text size="xs" c="dimmed">
                            Portal access off
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <TypeBadge type={c.type} />
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={c.status} />
                      </Table.Td>
                      <Table.Td>{c.currency}</Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        {formatMoney(c.debit_limit)}
                      </Table.Td>
                      <Table.Td>
                        {c.domain_id ? (
                          <Anchor component={Link} to={`/domains/${c.domain_id}`} size="sm">
                            {domainNames.get(c.domain_id) ?? 'Domain'}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="dimmed">
                            Any
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              pageSize={list.data.page_size || PAGE_SIZE}
              total={list.data.total}
              onChange={(p) => set({ page: p })}
              noun="companies"
            />
          </>
        )}
      </Card>
      <AddCompanyModal opened={adding} onClose={addModal.close} />
    </>
  );
}
