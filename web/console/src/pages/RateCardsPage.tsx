import { Anchor, Badge, Button, Card, Group, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { PlusIcon, SearchIcon } from '../components/Icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../components/States.tsx';
import { formatDate } from '../format.ts';
import { PAGE_SIZE, useListParams, useSearchBox, useTitle } from '../hooks.ts';
import { isFromStart, type RateCardDto, roundingText, useRateCards } from '../rateCards.ts';
import { NewRateCardModal } from './ratecards/NewRateCardModal.tsx';

export function RateCardsPage() {
  useTitle('Rate cards');
  const { page, values, set } = useListParams(['q'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = useRateCards({ q: values.q, page });
  const [adding, addModal] = useDisclosure(false);

  return (
    <>
      <PageHeader
        title="Rate cards"
        subtitle="Prices per destination prefix. Each import makes a new revision; routes assign a card to a company."
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={addModal.open}>
            New rate card
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" gap="sm" align="flex-end">
          <TextInput
            label="Search rate cards"
            placeholder="Name"
            type="search"
            leftSection={<SearchIcon size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 240px' }}
            maw={360}
          />
          {values.q && (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                set({ q: '' });
              }}
            >
              Clear search
            </Button>
          )}
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          values.q ? (
            <Empty title="No matching rate cards" description="Try another name or clear the search." />
          ) : (
            <Empty
              title="No rate cards yet"
              description="Create a rate card, import its rates from a CSV file, then add it to a company as a route."
              action={<Button onClick={addModal.open}>New rate card</Button>}
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table aria-label="Rate cards">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Currency</Table.Th>
                    <Table.Th scope="col">Direction</Table.Th>
                    <Table.Th scope="col">Active revision</Table.Th>
                    <Table.Th scope="col">Precision and rounding</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {list.data.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/rate-cards/${c.id}`} className="row-link">
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.currency}</Table.Td>
                      <Table.Td>
                        <DirectionBadge direction={c.direction} />
                      </Table.Td>
                      <Table.Td>
                        <ActiveRevision card={c} />
                      </Table.Td>
                      <Table.Td>{roundingText(c)}</Table.Td>
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
              noun="rate cards"
            />
          </>
        )}
      </Card>
      <NewRateCardModal opened={adding} onClose={addModal.close} />
    </>
  );
}

export function DirectionBadge({ direction }: { direction: string }) {
  return (
    <Badge variant="outline" color={direction === 'origination' ? 'teal' : 'indigo'}>
      {direction}
    </Badge>
  );
}

function ActiveRevision({ card }: { card: RateCardDto }) {
  const a = card.active_revision;
  if (!a) {
    return (
      <Text size="sm" c="dimmed">
        No rates yet
      </Text>
    );
  }
  return (
    <div>
      <Text size="sm" fw={500}>
        Revision {a.revision} · {a.rate_count.toLocaleString()} {a.rate_count === 1 ? 'rate' : 'rates'}
      </Text>
      <Text size="xs" c="dimmed">
        {isFromStart(a.date_live) ? 'Since the start' : `Since ${formatDate(a.date_live)}`}
      </Text>
    </div>
  );
}
