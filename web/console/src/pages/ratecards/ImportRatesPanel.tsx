/** "Import rates": a CSV file (all or nothing) becomes a new revision, live now or from a chosen time. */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  FileInput,
  Group,
  List,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { AlertIcon, CheckIcon, UploadIcon } from '../../components/Icons.tsx';
import { Pager } from '../../components/Pager.tsx';
import { formatBytes, formatDateTime } from '../../format.ts';
import { errorMessage, useApiMutation } from '../../hooks.ts';
import {
  CSV_COLUMNS,
  CSV_TEMPLATE,
  checkCsvHeader,
  countCsvRows,
  importRatesCsv,
  isFromStart,
  type RateCardDetailDto,
  type RateRowError,
  rowErrors,
  scrollRegion,
} from '../../rateCards.ts';

/** The server's body limit for an import. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The browser's offset from UTC, e.g. "UTC+02:00", for the time input's hint. */
function utcOffset(): string {
  const m = -new Date().getTimezoneOffset();
  const sign = m >= 0 ? '+' : '−';
  const abs = Math.abs(m);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A link to the CSV template, built in the browser (a blob: download, allowed by the CSP). */
function useTemplateUrl(): string | undefined {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([CSV_TEMPLATE], { type: 'text/csv;charset=utf-8' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, []);
  return href;
}

export function ImportRatesPanel({
  card,
  onImported,
}: {
  card: RateCardDetailDto;
  onImported: (revisionId: string) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [liveFrom, setLiveFrom] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [sending, setSending] = useState<{ name: string; size: number; rows: number } | null>(null);
  const templateUrl = useTemplateUrl();
  const upload = useApiMutation(
    (v: { text: string; dateLive: string | null }) => importRatesCsv(card.id, v.text, v.dateLive),
    () => [['rate-cards']],
  );

  const first = card.revisions.length === 0;
  const liveDate = liveFrom ? new Date(liveFrom) : null;
  const liveInvalid = liveDate !== null && Number.isNaN(liveDate.getTime());
  const active = card.active_revision;
  const beforeActive =
    liveDate !== null &&
    !liveInvalid &&
    active?.date_live != null &&
    liveDate.getTime() < new Date(active.date_live).getTime();

  const choose = (f: File | null) => {
    setFile(f);
    setFileError(null);
    upload.reset();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || liveInvalid) return;
    upload.reset();
    if (file.size > MAX_BYTES) {
      setFileError(`The file is ${formatBytes(file.size)}; the limit is 64 MB.`);
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setFileError('The file could not be read. Choose it again.');
      return;
    }
    const headerProblem = checkCsvHeader(text);
    if (headerProblem) {
      setFileError(headerProblem);
      return;
    }
    setSending({ name: file.name, size: file.size, rows: countCsvRows(text) });
    upload.mutate(
      { text, dateLive: liveDate ? liveDate.toISOString() : null },
      {
        onSuccess: (r) => {
          setFile(null);
          setLiveFrom('');
          onImported(r.revision_id);
        },
        onSettled: () => setSending(null),
      },
    );
  };

  const report = rowErrors(upload.error);

  return (
    <Card withBorder radius="md" p="lg" component="section" aria-labelledby="import-rates-title">
      <Title order={2} size="h4" id="import-rates-title">
        Import rates
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Each import replaces all rates with a new revision. If any row has a problem, nothing is imported and
        every problem is listed.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <FileInput
              label="CSV file"
              description="UTF-8 text with a header line, up to 64 MB."
              placeholder="Choose a .csv file"
              accept=".csv,text/csv,text/plain"
              clearable
              clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
              leftSection={<UploadIcon size={16} />}
              // The placeholder is a text span here (not an input placeholder): keep it AA-readable.
              styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
              value={file}
              onChange={choose}
              error={fileError}
              disabled={upload.isPending}
            />
            <TextInput
              label="Live from"
              type="datetime-local"
              description={
                first
                  ? `Your local time (${utcOffset()}). Leave empty: the first revision applies to all calls, also earlier ones.`
                  : `Your local time (${utcOffset()}). Leave empty to apply from now on; a later time schedules the revision.`
              }
              value={liveFrom}
              onChange={(e) => setLiveFrom(e.currentTarget.value)}
              error={liveInvalid ? 'Enter a date and time.' : undefined}
              disabled={upload.isPending}
              maw={320}
            />
            {beforeActive && active && (
              <Text size="sm" c="orange.9">
                This is earlier than the active revision {active.revision} (live{' '}
                {isFromStart(active.date_live)
                  ? 'from the start'
                  : `since ${formatDateTime(active.date_live)}`}
                ), so revision {active.revision} stays active for new calls.
              </Text>
            )}
            <Group>
              <Button
                type="submit"
                leftSection={<UploadIcon size={16} />}
                loading={upload.isPending}
                disabled={!file || liveInvalid}
              >
                Import rates
              </Button>
            </Group>
            {upload.isPending && sending && (
              <Stack gap={6}>
                <Progress value={100} animated aria-hidden="true" />
                <Text size="sm" role="status">
                  Uploading {sending.name} ({formatBytes(sending.size)}, {sending.rows.toLocaleString()}{' '}
                  {sending.rows === 1 ? 'row' : 'rows'}) and checking every row…
                </Text>
              </Stack>
            )}
            {upload.isSuccess && (
              <Alert color="green" variant="light" icon={<CheckIcon />} title="Rates imported" role="status">
                Revision {upload.data.revision} with {upload.data.rate_count.toLocaleString()}{' '}
                {upload.data.rate_count === 1 ? 'rate' : 'rates'}
                {isFromStart(upload.data.date_live)
                  ? ', applying to all calls.'
                  : new Date(upload.data.date_live).getTime() > Date.now()
                    ? `, scheduled from ${formatDateTime(upload.data.date_live)}.`
                    : `, live since ${formatDateTime(upload.data.date_live)}.`}
              </Alert>
            )}
            {upload.isError && (
              <Alert
                color="red"
                variant="light"
                icon={<AlertIcon />}
                title={report ? 'Nothing was imported' : 'The import failed'}
                role="alert"
              >
                <Text size="sm">{errorMessage(upload.error)}</Text>
              </Alert>
            )}
          </Stack>
        </form>
        <CsvFormatHelp templateUrl={templateUrl} currency={card.currency} />
      </SimpleGrid>
      {report && report.length > 0 && <ValidationReport key={upload.submittedAt} errors={report} />}
    </Card>
  );
}

function CsvFormatHelp({ templateUrl, currency }: { templateUrl?: string; currency: string }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Expected format
      </Title>
      <Text size="sm">The first line names the columns (status is optional):</Text>
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {CSV_COLUMNS.join(',')}
      </Code>
      <Text size="sm">For example:</Text>
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {CSV_TEMPLATE.trim()}
      </Code>
      <List size="sm" spacing={2}>
        <List.Item>
          <Code>prefix</Code>: 1 to 20 digits, each once; the longest matching prefix prices a call.
        </List.Item>
        <List.Item>
          <Code>rate</Code> per minute and <Code>connect_cost</Code> per answered call, in {currency}, up to 6
          decimals.
        </List.Item>
        <List.Item>
          <Code>mcd</Code> minimum billed seconds, <Code>pulse</Code> billing increment in seconds,{' '}
          <Code>grace</Code> seconds that are free.
        </List.Item>
        <List.Item>
          <Code>status</Code>: <Code>active</Code> or <Code>blocked</Code>.
        </List.Item>
      </List>
      <div>
        <Anchor href={templateUrl} download="rates-template.csv" size="sm" fw={600}>
          Download template
        </Anchor>
      </div>
    </Stack>
  );
}

const REPORT_PAGE_SIZE = 50;

function ValidationReport({ errors }: { errors: RateRowError[] }) {
  const [page, setPage] = useState(1);
  const lines = new Set(errors.map((e) => e.line)).size;
  const shown = errors.slice((page - 1) * REPORT_PAGE_SIZE, page * REPORT_PAGE_SIZE);
  return (
    <Stack gap="xs" mt="lg">
      <Title order={3} size="h5">
        Validation report
      </Title>
      <Text size="sm" c="dimmed">
        {errors.length} {errors.length === 1 ? 'problem' : 'problems'} on {lines}{' '}
        {lines === 1 ? 'line' : 'lines'}
        {errors.length >= 500 ? ' (the server lists the first 500)' : ''}. Line 1 is the header. Fix the file
        and import it again.
      </Text>
      <Table.ScrollContainer minWidth={480} scrollAreaProps={scrollRegion('Problems, scrollable')}>
        <Table withTableBorder fz="sm" verticalSpacing={6} aria-label="Problems in the file">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={80}>
                Line
              </Table.Th>
              <Table.Th scope="col" w={140}>
                Field
              </Table.Th>
              <Table.Th scope="col">Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a line can have several problems in one field
              <Table.Tr key={`${e.line}:${e.field}:${i}`}>
                <Table.Td ff="monospace">{e.line}</Table.Td>
                <Table.Td>
                  <Code>{e.field}</Code>
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager
        page={page}
        pageSize={REPORT_PAGE_SIZE}
        total={errors.length}
        onChange={setPage}
        noun="problems"
      />
    </Stack>
  );
}
