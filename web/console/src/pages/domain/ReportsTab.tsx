import {
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Fieldset,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import {
  BREAKOUT_COLUMNS,
  CARRIER_SIDE_CDR_FIELDS,
  CDR_FIELDS,
  type UserType,
} from '../../../../../common/features.ts';
import { columnLabel } from '../../format.ts';
import type { TabProps } from './BasicTab.tsx';
import { canonical } from './draft.ts';

const USER_TYPES: { type: UserType; label: string }[] = [
  { type: 'customer', label: 'Customers' },
  { type: 'carrier', label: 'Carriers' },
];
const carrierSide = new Set(CARRIER_SIDE_CDR_FIELDS);

export function ReportsTab({ draft, update, errorFor }: TabProps) {
  const setBreakout = (t: UserType, v: string[]) =>
    update({ breakout_columns: { ...draft.breakout_columns, [t]: canonical(v, BREAKOUT_COLUMNS) } });
  const setCdr = (t: UserType, v: string[]) =>
    update({ cdr_fields: { ...draft.cdr_fields, [t]: canonical(v, CDR_FIELDS) } });

  return (
    <Stack gap="lg">
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4">
          Breakout columns
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          The columns of the Breakout report, per user type.
        </Text>
        <ErrorLine message={errorFor('breakout_columns')} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {USER_TYPES.map(({ type, label }) => (
            <Choices
              key={type}
              legend={`${label}: Breakout columns`}
              ids={BREAKOUT_COLUMNS}
              value={draft.breakout_columns[type]}
              onChange={(v) => setBreakout(type, v)}
            />
          ))}
        </SimpleGrid>
      </Card>
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4">
          CDR fields
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Which call record fields each user type may view and download (enforced by the server). Carrier-side
          fields describe the supplier and never reach customers.
        </Text>
        <ErrorLine message={errorFor('cdr_fields')} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {USER_TYPES.map(({ type, label }) => (
            <Choices
              key={type}
              legend={`${label}: CDR fields`}
              ids={CDR_FIELDS}
              value={draft.cdr_fields[type]}
              onChange={(v) => setCdr(type, v)}
              disabled={type === 'customer' ? (id) => carrierSide.has(id) : undefined}
              marked={(id) => carrierSide.has(id)}
            />
          ))}
        </SimpleGrid>
      </Card>
    </Stack>
  );
}

function ErrorLine({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <Text c="red.9" size="sm" role="alert" mb="sm">
      {message}
    </Text>
  );
}

function Choices({
  legend,
  ids,
  value,
  onChange,
  disabled,
  marked,
}: {
  legend: string;
  ids: readonly string[];
  value: string[];
  onChange: (v: string[]) => void;
  disabled?: (id: string) => boolean;
  marked?: (id: string) => boolean;
}) {
  const allowed = ids.filter((id) => !disabled?.(id));
  return (
    <Fieldset legend={legend} radius="md">
      <Group justify="space-between" mb="sm" gap="xs">
        <Text size="xs" c="dimmed">
          {value.length} of {allowed.length} selected
        </Text>
        <Group gap={4}>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onChange(allowed)}
            disabled={value.length === allowed.length}
          >
            Select all
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onChange([])}
            disabled={value.length === 0}
          >
            Clear
          </Button>
        </Group>
      </Group>
      <Checkbox.Group value={value} onChange={onChange} aria-label={legend}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
          {ids.map((id) => {
            const off = disabled?.(id) ?? false;
            return (
              <Checkbox
                key={id}
                value={id}
                disabled={off}
                label={
                  <Group gap={6} wrap="wrap" component="span">
                    <span>{columnLabel(id)}</span>
                    <Code>{id}</Code>
                    {marked?.(id) && (
                      <Badge size="xs" variant="light" color="grape">
                        carrier side
                      </Badge>
                    )}
                  </Group>
                }
                description={off ? 'Never shown to customers' : undefined}
              />
            );
          })}
        </SimpleGrid>
      </Checkbox.Group>
    </Fieldset>
  );
}
