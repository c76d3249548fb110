/**
 * Reports across customers: breakout (per destination, day, hour, customer or carrier, with carrier cost and
 * profit), CDRs (keyset pages, CSV) and the summary. The same endpoints the portal uses, without field limits.
 */
import {
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime } from '../../format.ts';
import { qs, useCompanies, useTitle } from '../../hooks.ts';

const BASE = '/api/v1/console/reports';

/** Bar-chart icon of the Reports navigation entry (decorative). */
export const ReportsIcon = ({ size = 18 }: { size?: number }) => (
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
    <path d="M4 20h16M7 16v-5M12 16V6M17 16v-8" />
  </svg>
);
const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

interface Table_ {
  group: string;
  columns: string[];
  rows: Record<string, unknown>[];
  totals: Record<string, unknown>[];
}

const LABELS: Record<string, string> = {
  period: 'Period',
  dest_code: 'Code',
  dest_name: 'Destination',
  company: 'Customer',
  carrier: 'Carrier',
  currency: 'Currency',
  attempts: 'Attempts',
  connected: 'Connected',
  asr: 'ASR %',
  acd: 'ACD (s)',
  duration: 'Talk min',
  billed_duration: 'Billed min',
  charge: 'Charge',
  dtmf_calls: 'DTMF',
  dtmf_pct: 'DTMF %',
  pdd_ms: 'PDD (ms)',
  carrier_cost: 'Carrier cost',
  profit: 'Profit',
};
const TEXT_COLUMNS = new Set(['period', 'dest_code', 'dest_name', 'company', 'carrier', 'currency']);
const PAGE = 50;

const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
const isoOf = (local: string) => {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
};

function cell(col: string, v: unknown, group: string): string {
  if (v === null || v === undefined) return col === 'dest_code' ? '' : '—';
  if (col === 'period') {
    const d = new Date(String(v));
    if (group === 'month')
      return d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', timeZone: 'UTC' });
    if (group === 'day') return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
    return formatDateTime(String(v));
  }
  if (typeof v === 'number') return v.toLocaleString(undefined, { maximumFractionDigits: 2 });
  return String(v);
}

/** A horizontally scrolling region keyboard users can focus and scroll. */
function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard
    <section aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </section>
  );
}

function CompanyPicker({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const [search, setSearch] = useState('');
  const companies = useCompanies({ q: search, type: 'customer' });
  const data = (companies.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));
  return (
    <Select
      label="Customer"
      placeholder="All customers"
      searchable
      clearable
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      nothingFoundMessage={companies.isPending ? 'Loading…' : 'No customer found'}
      w={240}
    />
  );
}

function ReportTableView({ table, caption }: { table: Table_; caption: string }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(table.rows.length / PAGE));
  const rows = table.rows.slice(page * PAGE, page * PAGE + PAGE);
  if (!table.rows.length) return <Empty title="No traffic" description="No calls in this period." />;
  return (
    <>
      <ScrollBox label={`${caption} table`}>
        <Table aria-label={caption} striped miw={900}>
          <Table.Thead>
            <Table.Tr>
              {table.columns.map((c) => (
                <Table.Th key={c} scope="col" ta={TEXT_COLUMNS.has(c) ? 'left' : 'right'}>
                  {LABELS[c] ?? c}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr
                key={String(r.id ?? r.period ?? r.dest_code ?? '') + String(r.currency ?? '') + String(i)}
              >
                {table.columns.map((c) => (
                  <Table.Td key={c} ta={TEXT_COLUMNS.has(c) ? 'left' : 'right'}>
                    {cell(c, r[c], table.group)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            {table.totals.map((r, i) => (
              <Table.Tr key={String(r.currency ?? i)} fw={700}>
                {table.columns.map((c, j) => (
                  <Table.Td key={c} ta={TEXT_COLUMNS.has(c) ? 'left' : 'right'}>
                    {j === 0
                      ? 'Total'
                      : TEXT_COLUMNS.has(c) && c !== 'currency'
                        ? ''
                        : cell(c, r[c], table.group)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tfoot>
        </Table>
      </ScrollBox>
      {pages > 1 && (
        <Group mt="md" gap="sm">
          <Button variant="default" size="xs" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <Text size="sm" c="dimmed">
            Page {page + 1} of {pages}
          </Text>
          <Button variant="default" size="xs" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </Group>
      )}
    </>
  );
}

function BreakoutTab({ companyId, from, to }: { companyId: string | null; from: string; to: string }) {
  const [group, setGroup] = useState('company');
  const q = qs({ from: isoOf(from), to: isoOf(to), tz: TZ, group, company_id: companyId });
  const report = useQuery({
    queryKey: ['reports', 'breakout', q],
    queryFn: () => api.get<Table_>(`${BASE}/breakout${q}`),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Group mb="md" gap="sm" align="flex-end">
        <Select
          label="Group by"
          data={[
            { value: 'company', label: 'Customer' },
            { value: 'carrier', label: 'Carrier' },
            { value: 'destination', label: 'Destination' },
            { value: 'day', label: 'Day' },
            { value: 'hour', label: 'Hour' },
          ]}
          value={group}
          onChange={(v) => setGroup(v ?? 'company')}
          allowDeselect={false}
          w={180}
        />
        <Anchor href={`${BASE}/breakout.csv${q}`} download>
          Download CSV
        </Anchor>
      </Group>
      {report.isPending ? (
        <TableSkeleton />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <ReportTableView key={q} table={report.data} caption="Breakout" />
      )}
    </>
  );
}

interface CdrPage {
  items: Record<string, unknown>[];
  next_cursor: string | null;
}
const CDR_COLUMNS = [
  ['start_time', 'Time'],
  ['company_name', 'Customer'],
  ['cli', 'Source'],
  ['dest_number', 'Destination'],
  ['dest_name', 'Name'],
  ['duration', 'Duration (s)'],
  ['sip_code', 'SIP'],
  ['charge', 'Charge'],
  ['carrier_cost', 'Carrier cost'],
] as const;

function CdrTab({ companyId, from, to }: { companyId: string | null; from: string; to: string }) {
  const [number, setNumber] = useState('');
  const [connected, setConnected] = useState(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const filter = {
    from: isoOf(from),
    to: isoOf(to),
    company_id: companyId,
    number: number.replace(/\D/g, '') || null,
    connected: connected ? 'true' : null,
  };
  const fields = 'start_time,call_id,cli,dest_number,dest_name,duration,sip_code,charge,carrier_cost';
  const cursor = cursors.at(-1) ?? null;
  const q = qs({ ...filter, fields, limit: 50, cursor });
  const page = useQuery({
    queryKey: ['reports', 'cdrs', q],
    queryFn: () => api.get<CdrPage>(`${BASE}/cdrs${q}`),
    placeholderData: keepPreviousData,
  });
  const reset = () => setCursors([null]);
  return (
    <>
      <Group mb="md" gap="sm" align="flex-end">
        <TextInput
          label="Number"
          description="Source or destination"
          value={number}
          onChange={(e) => {
            setNumber(e.currentTarget.value);
            reset();
          }}
          w={200}
        />
        <Checkbox
          label="Connected only"
          checked={connected}
          onChange={(e) => {
            setConnected(e.currentTarget.checked);
            reset();
          }}
          mb={8}
        />
        <Anchor href={`${BASE}/cdrs.csv${qs(filter)}`} download>
          Download CSV (UTC)
        </Anchor>
      </Group>
      {page.isPending ? (
        <TableSkeleton />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.items.length === 0 ? (
        <Empty title="No calls" description="No call attempts match these filters." />
      ) : (
        <>
          <ScrollBox label="CDRs table">
            <Table aria-label="CDRs" striped miw={900}>
              <Table.Thead>
                <Table.Tr>
                  {CDR_COLUMNS.map(([k, l]) => (
                    <Table.Th key={k} scope="col">
                      {l}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.data.items.map((r) => (
                  <Table.Tr key={String(r.call_id)}>
                    {CDR_COLUMNS.map(([k]) => (
                      <Table.Td key={k}>
                        {k === 'start_time' ? formatDateTime(String(r[k])) : String(r[k] ?? '—')}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollBox>
          <Group mt="md" gap="sm">
            <Button
              variant="default"
              size="xs"
              disabled={cursors.length <= 1}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Newer
            </Button>
            <Text size="sm" c="dimmed">
              Page {cursors.length}
            </Text>
            <Button
              variant="default"
              size="xs"
              disabled={!page.data.next_cursor}
              onClick={() => setCursors((c) => [...c, page.data.next_cursor])}
            >
              Older
            </Button>
          </Group>
        </>
      )}
    </>
  );
}

function SummaryTab({ companyId }: { companyId: string | null }) {
  const [period, setPeriod] = useState('hourly');
  const q = qs({ period, tz: TZ, company_id: companyId });
  const report = useQuery({
    queryKey: ['reports', 'summary', q],
    queryFn: () => api.get<Table_>(`${BASE}/summary${q}`),
  });
  return (
    <>
      <SegmentedControl
        mb="md"
        value={period}
        onChange={setPeriod}
        aria-label="Summary period"
        data={[
          { value: 'hourly', label: 'Last 24 hours' },
          { value: 'daily', label: 'Last 30 days' },
          { value: 'monthly', label: 'Last 12 months (UTC)' },
        ]}
      />
      {report.isPending ? (
        <TableSkeleton />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <ReportTableView key={q} table={report.data} caption="Summary" />
      )}
    </>
  );
}

export function ReportsPage() {
  useTitle('Reports');
  const [tab, setTab] = useState('breakout');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => localInput(new Date(Date.now() - 7 * 86_400_000)));
  const [to, setTo] = useState(() => localInput(new Date()));
  return (
    <>
      <PageHeader
        title="Reports"
        subtitle={`Traffic, charges, carrier cost and profit across customers. Times in ${TZ}; CSV files in UTC.`}
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" gap="sm" align="flex-end">
          <SegmentedControl
            value={tab}
            onChange={setTab}
            aria-label="Report"
            data={[
              { value: 'breakout', label: 'Breakout' },
              { value: 'cdrs', label: 'CDRs' },
              { value: 'summary', label: 'Summary' },
            ]}
          />
          <CompanyPicker value={companyId} onChange={setCompanyId} />
          {tab !== 'summary' && (
            <>
              <TextInput
                type="datetime-local"
                label="From"
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
              />
              <TextInput
                type="datetime-local"
                label="To"
                value={to}
                onChange={(e) => setTo(e.currentTarget.value)}
              />
            </>
          )}
        </Group>
        {tab === 'breakout' ? (
          <BreakoutTab companyId={companyId} from={from} to={to} />
        ) : tab === 'cdrs' ? (
          <CdrTab companyId={companyId} from={from} to={to} />
        ) : (
          <SummaryTab companyId={companyId} />
        )}
      </Card>
    </>
  );
}
