/** A readable before/after diff of an audit entry: changed keys only, secrets never shown. */
import { Code, Table, Text } from '@mantine/core';

const SECRET = /pass(word)?|secret|token|api_?key|private_?key|credential/i;

type Flat = Map<string, unknown>;

/** Flattens nested plain objects to dotted keys ({smtp:{host}} → "smtp.host"). */
function flatten(obj: Record<string, unknown> | null, prefix = '', out: Flat = new Map()): Flat {
  if (!obj) return out;
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && !SECRET.test(k))
      flatten(v as Record<string, unknown>, key, out);
    else out.set(key, v);
  }
  return out;
}

export interface DiffRow {
  key: string;
  before: unknown;
  after: unknown;
  hadBefore: boolean;
  hasAfter: boolean;
  secret: boolean;
}

export function diffRows(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): DiffRow[] {
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys
    .filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)))
    .sort()
    .map((k) => ({
      key: k,
      before: a.get(k),
      after: b.get(k),
      hadBefore: a.has(k),
      hasAfter: b.has(k),
      secret: k.split('.').some((part) => SECRET.test(part)),
    }));
}

function show(v: unknown, present: boolean) {
  if (!present)
    return (
      <Text size="sm" c="dimmed" component="span">
        (none)
      </Text>
    );
  if (v === null || v === '')
    return (
      <Text size="sm" c="dimmed" component="span">
        (empty)
      </Text>
    );
  if (typeof v === 'boolean') return <span>{v ? 'on' : 'off'}</span>;
  if (Array.isArray(v))
    return v.length === 0 ? (
      <Text size="sm" c="dimmed" component="span">
        (empty list)
      </Text>
    ) : (
      <span>{v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')}</span>
    );
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return (
    <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text.length > 400 ? `${text.slice(0, 400)}…` : text}
    </span>
  );
}

export function AuditDiff({
  before,
  after,
}: {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}) {
  const rows = diffRows(before, after);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {before || after ? 'No field changed.' : 'No details were recorded for this action.'}
      </Text>
    );
  }
  return (
    <Table
      withTableBorder
      withColumnBorders
      fz="sm"
      verticalSpacing={6}
      highlightOnHover={false}
      aria-label="Changed fields"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" w="28%">
            Field
          </Table.Th>
          <Table.Th scope="col">Before</Table.Th>
          <Table.Th scope="col">After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td>
              <Code>{r.key}</Code>
            </Table.Td>
            {r.secret ? (
              <Table.Td colSpan={2}>
                <Text size="sm" c="dimmed" component="span">
                  {!r.hadBefore ? 'Set' : !r.hasAfter ? 'Removed' : 'Changed'} (value hidden)
                </Text>
              </Table.Td>
            ) : (
              <>
                <Table.Td className={r.hadBefore ? 'diff-before' : undefined}>
                  {show(r.before, r.hadBefore)}
                </Table.Td>
                <Table.Td className={r.hasAfter ? 'diff-after' : undefined}>
                  {show(r.after, r.hasAfter)}
                </Table.Td>
              </>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
