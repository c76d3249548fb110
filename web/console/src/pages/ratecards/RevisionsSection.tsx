/** A rate card's revisions (active, scheduled, superseded) and the rates of the selected one. */
import { Badge, Button, Card, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { SearchIcon } from '../../components/Icons.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';
import { type useListParams, useSearchBox } from '../../hooks.ts';
import {
  isFromStart,
  RATES_PAGE_SIZE,
  type RateCardDetailDto,
  REVISION_STATE_COLOR,
  type RevisionDto,
  revisionState,
  scrollRegion,
  useRates,
} from '../../rateCards.ts';

type Params = ReturnType<typeof useListParams<'revision' | 'q'>>;

function liveFromText(iso: string | null): string {
  return isFromStart(iso) ? 'From the start (all calls)' : formatDateTime(iso);
}

export function RevisionsSection({ card, params }: { card: RateCardDetailDto; params: Params }) {
  const { values, set } = params;
  // The revision in the address when it still exists, else the active one, else the newest.
  const selected: RevisionDto | null =
    card.revisions.find((r) => r.id === values.revision) ??
    card.revisions.find((r) => r.id === card.active_revision?.id) ??
    card.revisions[0] ??
    null;

  return (
    <>
      <Card withBorder radius="md" p="lg" component="section" aria-labelledby="revisions-title">
        <Title order={2} size="h4" id="revisions-title">
          Revisions
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          A call is priced by the revision live when it started. The newest revisions are kept.
        </Text>
        {card.revisions.length === 0 ? (
          <Empty title="No revisions yet" description="Import a CSV file above to create the first one." />
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Revisions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Revision</Table.Th>
                  <Table.Th scope="col">Live from</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Rates
                  </Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">
                    <span className="sr-only">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {card.revisions.map((r) => {
                  const state = revisionState(card, r);
                  const isSelected = r.id === selected?.id;
                  return (
                    <Table.Tr key={r.id} bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}>
                      <Table.Td fw={600}>{r.revision}</Table.Td>
                      <Table.Td>{liveFromText(r.date_live)}</Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        {r.rate_count.toLocaleString()}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={REVISION_STATE_COLOR[state]}>
                          {state}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant={isSelected ? 'filled' : 'default'}
                          aria-pressed={isSelected}
                          aria-label={`Show rates of revision ${r.revision}`}
                          onClick={() => set({ revision: r.id, q: '' })}
                        >
                          {isSelected ? 'Showing rates' : 'Show rates'}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {selected && <RatesCard key={selected.id} card={card} revision={selected} params={params} />}
    </>
  );
}

function RatesCard({
  card,
  revision,
  params,
}: {
  card: RateCardDetailDto;
  revision: RevisionDto;
  params: Params;
}) {
  const { page, values, set } = params;
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const rates = useRates(card.id, { revision_id: revision.id, q: values.q, page });
  const state = revisionState(card, revision);

  return (
    <Card withBorder radius="md" p="lg" component="section" aria-labelledby="rates-title">
      <Group gap="sm" mb={4}>
        <Title order={2} size="h4" id="rates-title">
          Rates of revision {revision.revision}
        </Title>
        <Badge variant="light" color={REVISION_STATE_COLOR[state]}>
          {state}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {revision.rate_count.toLocaleString()} {revision.rate_count === 1 ? 'rate' : 'rates'} · live from{' '}
        {isFromStart(revision.date_live) ? 'the start' : formatDateTime(revision.date_live)} · prices in{' '}
        {card.currency}
      </Text>
      <Group mb="md" gap="sm" align="flex-end">
        <TextInput
          label="Search rates"
          description="Prefix or destination name; matches the beginning."
          placeholder="e.g. 44 or United"
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
      {rates.isPending ? (
        <TableSkeleton />
      ) : rates.isError ? (
        <ErrorState error={rates.error} onRetry={() => void rates.refetch()} />
      ) : rates.data.items.length === 0 ? (
        values.q ? (
          <Empty title="No matching rates" description="No prefix or destination starts with that." />
        ) : (
          <Empty title="This revision has no rates" />
        )
      ) : (
        <>
          <Table.ScrollContainer minWidth={820} scrollAreaProps={scrollRegion('Rates, scrollable')}>
            <Table aria-label={`Rates of revision ${revision.revision}`} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Prefix</Table.Th>
                  <Table.Th scope="col">Destination</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Rate ({card.currency}/min)
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Connect cost
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Min. duration (s)
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Pulse (s)
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Grace (s)
                  </Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody aria-busy={rates.isPlaceholderData}>
                {rates.data.items.map((r) => (
                  <Table.Tr key={r.prefix}>
                    <Table.Td ff="monospace">{r.prefix}</Table.Td>
                    <Table.Td>{r.name}</Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {r.rate}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {r.connect_cost}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {r.mcd}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {r.pulse}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {r.grace}
                    </Table.Td>
                    <Table.Td>
                      {r.status === 'blocked' ? (
                        <Badge variant="light" color="red">
                          blocked
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed" component="span">
                          active
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
            pageSize={rates.data.page_size || RATES_PAGE_SIZE}
            total={rates.data.total}
            onChange={(p) => set({ page: p })}
            noun="rates"
          />
        </>
      )}
    </Card>
  );
}
