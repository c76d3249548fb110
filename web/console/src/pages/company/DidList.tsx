/**
 * The DID table with search, paging, multi-select and bulk edit: one company's DIDs (company tab) or
 * every DID of the operator with a company filter (DIDs page).
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import type { CompanyDto } from '../../../../../common/api.ts';
import { CompanySelect } from '../../components/CompanySelect.tsx';
import { PlusIcon, SearchIcon } from '../../components/Icons.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { CONSOLE_API, PAGE_SIZE, useListParams, useSearchBox } from '../../hooks.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { BulkDidModal, DID_KEYS, DidModal } from './DidModals.tsx';
import { type DidDto, destinationLabel, useDids } from './telecom.ts';

export function DidList({
  company,
  header,
}: {
  company?: CompanyDto;
  /** Renders above the list (the DIDs page's header), given what opens the Add DID dialog. */
  header?: (add: () => void) => ReactNode;
}) {
  const { page, values, set } = useListParams(['q', 'company', 'stock'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const stock = !company && values.stock === '1';
  const list = useDids({
    q: values.q,
    company_id: company?.id ?? (stock ? 'none' : values.company || undefined),
    page,
  });
  const [editing, setEditing] = useState<DidDto | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<DidDto | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const filtered = !!(values.q || (!company && (values.company || stock)));

  const visible = list.data?.items ?? [];
  // Only DIDs on the current page can be selected; changing page or filter leaves the others out.
  const chosen = visible.filter((d) => selected.has(d.id));
  const allChosen = visible.length > 0 && chosen.length === visible.length;
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const toggleAll = (on: boolean) => setSelected(on ? new Set(visible.map((d) => d.id)) : new Set());
  const noun = company ? `DIDs of ${company.name}` : 'DIDs';

  return (
    <>
      {header?.(() => setEditing(null))}
      <Card withBorder radius="md" p={company ? 'lg' : 'md'}>
        {company && (
          <Group justify="space-between" mb="md">
            <div>
              <Title order={2} size="h4">
                DIDs
              </Title>
              <Text size="sm" c="dimmed">
                Inbound numbers of {company.name} and where their calls go.
              </Text>
            </div>
            <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing(null)}>
              Add DID
            </Button>
          </Group>
        )}
        <Group mb="md" gap="sm" align="flex-end">
          <TextInput
            label="Search DIDs"
            placeholder={company ? 'Number, destination or tag' : 'Number, destination, tag or company'}
            type="search"
            leftSection={<SearchIcon size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 240px' }}
            maw={360}
          />
          {!company && (
            <>
              <div style={{ flex: '0 1 260px' }}>
                <CompanySelect
                  label="Company"
                  placeholder="All companies"
                  type="customer"
                  value={stock ? null : values.company || null}
                  onChange={(id) => set({ company: id ?? '', stock: '' })}
                />
              </div>
              <Checkbox
                label="In stock only"
                checked={stock}
                onChange={(e) => set({ stock: e.currentTarget.checked ? '1' : '', company: '' })}
                mb={8}
              />
            </>
          )}
          {filtered && (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                set({ q: '', company: '', stock: '' });
              }}
            >
              Clear filters
            </Button>
          )}
        </Group>
        {chosen.length > 0 && (
          <Group
            mb="sm"
            gap="sm"
            p="xs"
            bg="var(--mantine-primary-color-light)"
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          >
            <Text size="sm" fw={600} aria-live="polite">
              {chosen.length} selected
            </Text>
            <Button size="xs" onClick={() => setBulkOpen(true)}>
              Edit selected
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
          </Group>
        )}
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : visible.length === 0 ? (
          filtered ? (
            <Empty title="No matching DIDs" description="Try another search or clear the filters." />
          ) : (
            <Empty
              title="No DIDs yet"
              description={
                company
                  ? `Add the numbers ${company.name} receives calls on.`
                  : 'Add your first inbound number.'
              }
              action={<Button onClick={() => setEditing(null)}>Add DID</Button>}
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={company ? 720 : 880}>
              <Table aria-label={noun}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" w={40}>
                      <Checkbox
                        aria-label="Select all DIDs on this page"
                        checked={allChosen}
                        indeterminate={chosen.length > 0 && !allChosen}
                        onChange={(e) => toggleAll(e.currentTarget.checked)}
                      />
                    </Table.Th>
                    <Table.Th scope="col">Number</Table.Th>
                    {!company && <Table.Th scope="col">Company</Table.Th>}
                    <Table.Th scope="col">Destination</Table.Th>
                    <Table.Th scope="col">Tags</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {visible.map((d) => (
                    <Table.Tr key={d.id} bg={selected.has(d.id) ? 'var(--mantine-color-gray-1)' : undefined}>
                      <Table.Td>
                        <Checkbox
                          aria-label={`Select +${d.number}`}
                          checked={selected.has(d.id)}
                          onChange={(e) => toggle(d.id, e.currentTarget.checked)}
                        />
                      </Table.Td>
                      <Table.Td ff="monospace" fw={600}>
                        +{d.number}
                      </Table.Td>
                      {!company && (
                        <Table.Td>
                          {d.company_id ? (
                            <Anchor component={Link} to={`/companies/${d.company_id}?tab=dids`} size="sm">
                              {d.company_name ?? 'Company'}
                            </Anchor>
                          ) : (
                            <Text size="sm" c="dimmed">
                              In stock
                            </Text>
                          )}
                        </Table.Td>
                      )}
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {destinationLabel(d.destination_type)}
                        </Text>
                        {d.destination ? (
                          <Code style={{ overflowWrap: 'anywhere' }}>{d.destination}</Code>
                        ) : (
                          d.destination_type !== 'circuit_test' && (
                            <Text size="sm" c="dimmed">
                              Not routed
                            </Text>
                          )
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {d.tags.map((t) => (
                            <Badge key={t} variant="light" color="gray" tt="none">
                              {t}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Badge variant="light" color={d.enabled ? 'green' : 'gray'}>
                            {d.enabled ? 'enabled' : 'disabled'}
                          </Badge>
                          {d.destination_locked && (
                            <Badge variant="outline" color="orange">
                              locked
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setEditing(d)}
                            aria-label={`Edit +${d.number}`}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            color="red"
                            variant="outline"
                            onClick={() => setDeleting(d)}
                            aria-label={`Delete +${d.number}`}
                          >
                            Delete
                          </Button>
                        </Group>
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
              noun="DIDs"
            />
          </>
        )}
        {editing !== undefined && (
          <DidModal
            key={editing?.id ?? 'new'}
            opened
            did={editing}
            company={company}
            onClose={() => setEditing(undefined)}
          />
        )}
        <BulkDidModal
          opened={bulkOpen}
          selected={chosen}
          onClose={() => setBulkOpen(false)}
          onDone={() => setSelected(new Set())}
        />
        <ConfirmDeleteModal
          opened={deleting !== null}
          title="Delete DID?"
          url={deleting ? `${CONSOLE_API}/dids/${encodeURIComponent(deleting.id)}` : null}
          invalidate={DID_KEYS}
          confirmLabel="Delete DID"
          done="DID deleted"
          onClose={() => setDeleting(null)}
        >
          <strong>+{deleting?.number}</strong> is removed from your numbers
          {deleting?.company_name ? ` and from ${deleting.company_name}` : ''}; its calls are no longer
          routed. To keep the number but stop its calls, disable it with Edit instead.
        </ConfirmDeleteModal>
      </Card>
    </>
  );
}
