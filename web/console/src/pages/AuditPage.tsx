import { ActionIcon, Autocomplete, Button, Card, Code, Group, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { AuditDiff } from '../components/AuditDiff.tsx';
import { ChevronIcon, SearchIcon } from '../components/Icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../components/States.tsx';
import { formatDateTime, sentence, words } from '../format.ts';
import { PAGE_SIZE, useAudit, useListParams, useSearchBox, useTitle } from '../hooks.ts';

const KNOWN_TYPES = ['domain', 'company', 'contact', 'payment', 'file', 'api_token'];

/** "contact.reset_password" → "Contact reset password". */
const actionLabel = (a: string) => sentence(a.replace(/\./g, ' '));

export function AuditPage() {
  useTitle('Audit log');
  const { page, values, set } = useListParams(['entity_type'] as const);
  const [type, setType] = useSearchBox(values.entity_type, (v) => set({ entity_type: v }));
  const audit = useAudit({ entity_type: values.entity_type, page });
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const seen = new Set([...KNOWN_TYPES, ...(audit.data?.items.map((e) => e.entity_type) ?? [])]);

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change made in the Control Panel or through the API, newest first."
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" align="flex-end" gap="sm">
          <Autocomplete
            label="Entity type"
            placeholder="All types"
            data={[...seen].sort()}
            value={type}
            onChange={setType}
            leftSection={<SearchIcon size={16} />}
            w={260}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear entity type' }}
          />
          {values.entity_type && (
            <Button variant="subtle" onClick={() => setType('')}>
              Show all
            </Button>
          )}
        </Group>
        {audit.isPending ? (
          <TableSkeleton />
        ) : audit.isError ? (
          <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
        ) : audit.data.items.length === 0 ? (
          <Empty
            title={values.entity_type ? 'No entries of this type' : 'No changes recorded yet'}
            description={
              values.entity_type
                ? `Nothing recorded for “${values.entity_type}”.`
                : 'Changes to domains, companies and tokens appear here.'
            }
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table aria-label="Audit log">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" w={48}>
                      <span className="sr-only">Details</span>
                    </Table.Th>
                    <Table.Th scope="col">When</Table.Th>
                    <Table.Th scope="col">Who</Table.Th>
                    <Table.Th scope="col">Action</Table.Th>
                    <Table.Th scope="col">Entity</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={audit.isPlaceholderData}>
                  {audit.data.items.map((e) => {
                    const expanded = open.has(e.id);
                    const detailId = `audit-${e.id}`;
                    return (
                      <Fragment key={e.id}>
                        <Table.Tr>
                          <Table.Td>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              onClick={() => toggle(e.id)}
                              aria-expanded={expanded}
                              aria-controls={expanded ? detailId : undefined}
                              aria-label={`${expanded ? 'Hide' : 'Show'} changes: ${actionLabel(e.action)}`}
                            >
                              <ChevronIcon open={expanded} />
                            </ActionIcon>
                          </Table.Td>
                          <Table.Td>
                            <span title={e.at}>{formatDateTime(e.at)}</span>
                          </Table.Td>
                          <Table.Td>{e.actor_label}</Table.Td>
                          <Table.Td>
                            <Text size="sm" fw={500}>
                              {actionLabel(e.action)}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" component="span">
                              {words(e.entity_type)}{' '}
                            </Text>
                            {e.entity_id && <Code>{e.entity_id}</Code>}
                          </Table.Td>
                        </Table.Tr>
                        {expanded && (
                          <Table.Tr id={detailId}>
                            <Table.Td colSpan={5} bg="var(--mantine-color-gray-0)" p="md">
                              <AuditDiff before={e.before} after={e.after} />
                            </Table.Td>
                          </Table.Tr>
                        )}
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              pageSize={audit.data.page_size || PAGE_SIZE}
              total={audit.data.total}
              onChange={(p) => set({ page: p })}
              noun="entries"
            />
          </>
        )}
      </Card>
    </>
  );
}
