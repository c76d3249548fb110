/** A company's routes: which rate card prices its calls, per tech prefix, with channel/CPS limits. */
import { Anchor, Badge, Button, Card, Code, Group, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { CompanyDto } from '../../../../../common/api.ts';
import { PlusIcon } from '../../components/Icons.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { type RouteDto, useRoutes } from '../../rateCards.ts';
import { DeleteRouteModal, RouteModal } from './RouteModals.tsx';

function Unlimited({
  value,
  unit = '',
  none = 'Unlimited',
}: {
  value: number | null;
  unit?: string;
  none?: string;
}) {
  if (value === null) {
    return (
      <Text size="sm" c="dimmed" component="span">
        {none}
      </Text>
    );
  }
  return (
    <>
      {value.toLocaleString()}
      {unit}
    </>
  );
}

export function RoutesTab({ company }: { company: CompanyDto }) {
  const routes = useRoutes(company.id);
  // undefined: closed; null: adding; a route: editing it.
  const [editing, setEditing] = useState<RouteDto | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<RouteDto | null>(null);

  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4">
            Routes
          </Title>
          <Text size="sm" c="dimmed">
            The rate cards that price calls of {company.name} (in {company.currency}). A call uses the route
            with its tech prefix.
          </Text>
        </div>
        <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing(null)}>
          Add route
        </Button>
      </Group>
      {routes.isPending ? (
        <TableSkeleton rows={3} />
      ) : routes.isError ? (
        <ErrorState error={routes.error} onRetry={() => void routes.refetch()} />
      ) : routes.data.items.length === 0 ? (
        <Empty
          title="No routes yet"
          description={`Add a route with a rate card in ${company.currency} so calls of this company can be priced.`}
        />
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table aria-label="Routes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Tech prefix</Table.Th>
                <Table.Th scope="col">Rate card</Table.Th>
                <Table.Th scope="col" ta="right">
                  Channels
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  CPS
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Max duration
                </Table.Th>
                <Table.Th scope="col">Enabled</Table.Th>
                <Table.Th scope="col">Public note</Table.Th>
                <Table.Th scope="col">
                  <span className="sr-only">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {routes.data.items.map((r) => {
                const name = r.tech_prefix ? `tech prefix ${r.tech_prefix}` : 'no tech prefix';
                return (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      {r.tech_prefix ? (
                        <Code>{r.tech_prefix}</Code>
                      ) : (
                        <Text size="sm" c="dimmed" component="span">
                          (none)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/rate-cards/${r.rate_card_id}`} size="sm" fw={600}>
                        {r.rate_card_name ?? 'Rate card'}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Unlimited value={r.channels} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Unlimited value={r.cps} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Unlimited value={r.max_duration} unit=" s" none="No limit" />
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={r.enabled ? 'green' : 'gray'}
                        styles={{ label: { overflow: 'visible' } }}
                      >
                        {r.enabled ? 'enabled' : 'disabled'}
                      </Badge>
                    </Table.Td>
                    <Table.Td maw={260}>
                      {r.public_note ? (
                        <Text size="sm" lineClamp={2} title={r.public_note}>
                          {r.public_note}
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed" component="span">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(r)}
                          aria-label={`Edit route with ${name}`}
                        >
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          c="red.9"
                          onClick={() => setDeleting(r)}
                          aria-label={`Delete route with ${name}`}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing !== undefined && (
        <RouteModal
          key={editing?.id ?? 'new'}
          company={company}
          route={editing}
          opened
          onClose={() => setEditing(undefined)}
        />
      )}
      <DeleteRouteModal company={company} route={deleting} onClose={() => setDeleting(null)} />
    </Card>
  );
}
