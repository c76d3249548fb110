import { Alert, Card, Group, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { FEATURE_GROUPS } from '../../../../../common/features.ts';
import { AlertIcon, CheckIcon, XIcon } from '../../components/Icons.tsx';
import { ErrorState, TableSkeleton } from '../../components/States.tsx';
import { REASON_LABEL, words } from '../../format.ts';
import { useAccess } from '../../hooks.ts';

type Filter = 'all' | 'on' | 'off';

export function AccessTab({ company }: { company: CompanyDto }) {
  const access = useAccess(company.id);
  const [filter, setFilter] = useState<Filter>('all');

  if (access.isPending) return <TableSkeleton rows={8} />;
  if (access.isError) return <ErrorState error={access.error} onRetry={() => void access.refetch()} />;
  const a = access.data;
  const onCount = a.features.filter((f) => f.effective).length;
  const shown = a.features.filter((f) => filter === 'all' || (filter === 'on') === f.effective);
  const labels = new Map(a.features.map((f) => [f.id, f.label]));

  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={2} size="h4">
            Feature access
          </Title>
          <Text size="sm" c="dimmed">
            What contacts of this {words(a.user_type)} see in the portal, and why: {onCount} of{' '}
            {a.features.length} features on.
          </Text>
        </div>
        <SegmentedControl
          aria-label="Show features"
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'on', label: 'On' },
            { value: 'off', label: 'Off' },
          ]}
        />
      </Group>
      {!a.portal_access && (
        <Alert color="orange" variant="light" icon={<AlertIcon />} mb="md" title="Portal access is off">
          No contact of this company can sign in, whatever the features below say.
        </Alert>
      )}
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label="Feature access">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Feature</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {FEATURE_GROUPS.map((group) => {
              const rows = shown.filter((f) => f.group === group);
              if (rows.length === 0) return null;
              return (
                <Fragment key={group}>
                  <Table.Tr bg="var(--mantine-color-gray-1)">
                    <Table.Th scope="colgroup" colSpan={3} fz="sm">
                      {group}
                    </Table.Th>
                  </Table.Tr>
                  {rows.map((f) => (
                    <Table.Tr key={f.id}>
                      <Table.Td pl={f.parent ? 'xl' : undefined}>
                        <Text size="sm" fw={f.parent ? 400 : 500}>
                          {f.label}
                        </Text>
                        {f.parent && (
                          <Text size="xs" c="dimmed">
                            Option of {labels.get(f.parent) ?? f.parent}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group
                          gap={6}
                          wrap="nowrap"
                          c={f.effective ? 'var(--mantine-color-green-light-color)' : 'gray.7'}
                        >
                          {f.effective ? <CheckIcon size={16} /> : <XIcon size={16} />}
                          <Text size="sm" fw={600} inherit>
                            {f.effective ? 'On' : 'Off'}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{REASON_LABEL[f.reason] ?? words(f.reason)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
