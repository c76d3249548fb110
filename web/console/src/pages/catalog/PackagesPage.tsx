/** Packages: list, create and edit; a package's page lists and manages its assignments to companies. */
import {
  Anchor,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { CompanySelect } from '../../components/CompanySelect.tsx';
import { PlusIcon, SearchIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, LoadingState, TableSkeleton } from '../../components/States.tsx';
import { formatMoney } from '../../format.ts';
import {
  CONSOLE_API,
  errorField,
  errorMessage,
  PAGE_SIZE,
  useApiMutation,
  useListParams,
  useSearchBox,
  useTitle,
} from '../../hooks.ts';
import {
  type PackageAssignmentDto,
  type PackageDto,
  usePackage,
  usePackageAssignments,
  usePackages,
} from './api.ts';

const FREQUENCIES = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
];

function PackageModal({
  pkg,
  opened,
  onClose,
}: {
  pkg: PackageDto | null;
  opened: boolean;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [f, setF] = useState({
    name: pkg?.name ?? '',
    description: pkg?.description ?? '',
    type: pkg?.type ?? 'standard',
    currency: pkg?.currency ?? 'USD',
    cost: pkg?.cost ?? '0',
    retail: pkg?.retail ?? '0',
    setup_cost: pkg?.setup_cost ?? '0',
    setup_retail: pkg?.setup_retail ?? '0',
    frequency: pkg?.frequency ?? 'monthly',
    frequency_match: pkg?.frequency_match.join(', ') ?? '',
    minimum_days: pkg?.minimum_days ?? 0,
    destination_regex: pkg?.destination_regex ?? '',
    free_minutes: pkg?.free_minutes?.toString() ?? '',
  });
  const save = useApiMutation(
    (body: Record<string, unknown>) =>
      pkg
        ? api.patch<PackageDto>(`${CONSOLE_API}/packages/${pkg.id}`, body)
        : api.post<PackageDto>(`${CONSOLE_API}/packages`, body),
    () => [['packages']],
  );
  const field = errorField(save.error);
  const err = (name: string) => (field === name ? errorMessage(save.error) : undefined);
  const set = (k: keyof typeof f) => (v: string | number | null) => setF((x) => ({ ...x, [k]: v ?? '' }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const days = f.frequency_match
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    save.mutate(
      {
        name: f.name.trim(),
        description: f.description,
        type: f.type,
        currency: f.currency.trim(),
        cost: f.cost.trim(),
        retail: f.retail.trim(),
        setup_cost: f.setup_cost.trim(),
        setup_retail: f.setup_retail.trim(),
        frequency: f.frequency,
        frequency_match: days,
        minimum_days: Number(f.minimum_days) || 0,
        destination_regex: f.destination_regex.trim() || null,
        free_minutes: f.free_minutes.trim() ? Number(f.free_minutes) : null,
      },
      {
        onSuccess: () => {
          notify({ title: pkg ? 'Package saved' : 'Package created', color: 'green' });
          onClose();
        },
      },
    );
  };
  return (
    <AppModal opened={opened} onClose={onClose} title={pkg ? `Edit “${pkg.name}”` : 'New package'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              required
              value={f.name}
              onChange={(e) => set('name')(e.currentTarget.value)}
              error={err('name')}
            />
            <Select
              label="Type"
              data={[
                { value: 'standard', label: 'Standard' },
                { value: 'free_minutes', label: 'Free minutes' },
              ]}
              value={f.type}
              onChange={set('type')}
              allowDeselect={false}
            />
          </Group>
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={f.description}
            onChange={(e) => set('description')(e.currentTarget.value)}
          />
          <Group grow align="flex-start">
            <TextInput
              label="Currency"
              maxLength={3}
              value={f.currency}
              onChange={(e) => set('currency')(e.currentTarget.value.toUpperCase())}
              error={err('currency')}
            />
            <TextInput
              label="Retail price"
              inputMode="decimal"
              value={f.retail}
              onChange={(e) => set('retail')(e.currentTarget.value)}
              error={err('retail')}
            />
            <TextInput
              label="Cost"
              inputMode="decimal"
              value={f.cost}
              onChange={(e) => set('cost')(e.currentTarget.value)}
              error={err('cost')}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Setup retail"
              inputMode="decimal"
              value={f.setup_retail}
              onChange={(e) => set('setup_retail')(e.currentTarget.value)}
              error={err('setup_retail')}
            />
            <TextInput
              label="Setup cost"
              inputMode="decimal"
              value={f.setup_cost}
              onChange={(e) => set('setup_cost')(e.currentTarget.value)}
              error={err('setup_cost')}
            />
            <NumberInput
              label="Minimum days"
              min={0}
              max={3650}
              value={f.minimum_days}
              onChange={(v) => set('minimum_days')(Number(v) || 0)}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label="Charged"
              data={FREQUENCIES}
              value={f.frequency}
              onChange={set('frequency')}
              allowDeselect={false}
            />
            <TextInput
              label="On days"
              description="Days of the month (1–31) or week (1 = Monday), comma separated"
              value={f.frequency_match}
              onChange={(e) => set('frequency_match')(e.currentTarget.value)}
              error={err('frequency_match')}
            />
          </Group>
          {f.type === 'free_minutes' && (
            <Group grow align="flex-start">
              <TextInput
                label="Destinations (regular expression)"
                placeholder="^44|^91"
                value={f.destination_regex}
                onChange={(e) => set('destination_regex')(e.currentTarget.value)}
                error={err('destination_regex')}
              />
              <TextInput
                label="Free minutes"
                inputMode="numeric"
                value={f.free_minutes}
                onChange={(e) => set('free_minutes')(e.currentTarget.value)}
                error={err('free_minutes')}
              />
            </Group>
          )}
          {save.isError && !field && (
            <Text c="red" size="sm" role="alert">
              {errorMessage(save.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {pkg ? 'Save' : 'Create package'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

export function PackagesPage() {
  useTitle('Packages');
  const { page, values, set } = useListParams(['q'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = usePackages({ q: values.q, page });
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title="Packages"
        subtitle="Recurring products assigned to companies. A sign-up template customer’s packages restart for every new customer."
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setAdding(true)}>
            New package
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        <TextInput
          mb="md"
          label="Search packages"
          placeholder="Name"
          type="search"
          leftSection={<SearchIcon size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          maw={360}
        />
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          values.q ? (
            <Empty title="No matching packages" description="Try another name or clear the search." />
          ) : (
            <Empty
              title="No packages yet"
              action={<Button onClick={() => setAdding(true)}>New package</Button>}
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={700}>
              <Table aria-label="Packages">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Retail</Table.Th>
                    <Table.Th scope="col">Setup</Table.Th>
                    <Table.Th scope="col">Charged</Table.Th>
                    <Table.Th scope="col">Assigned to</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {list.data.items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/packages/${p.id}`} className="row-link">
                          {p.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{formatMoney(p.retail, p.currency)}</Table.Td>
                      <Table.Td>{formatMoney(p.setup_retail, p.currency)}</Table.Td>
                      <Table.Td>{p.frequency}</Table.Td>
                      <Table.Td>
                        {p.assignments ?? 0} {p.assignments === 1 ? 'company' : 'companies'}
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
              noun="packages"
            />
          </>
        )}
      </Card>
      {adding && <PackageModal pkg={null} opened onClose={() => setAdding(false)} />}
    </>
  );
}

function AssignPackage({ pkg }: { pkg: PackageDto }) {
  const notify = useNotify();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number>(1);
  const [start, setStart] = useState('');
  const [auto, setAuto] = useState(true);
  const assign = useApiMutation(
    (id: string) =>
      api.post(`${CONSOLE_API}/companies/${id}/packages`, {
        package_id: pkg.id,
        quantity,
        auto_decrement: auto,
        ...(start ? { start_date: start } : {}),
      }),
    () => [['packages']],
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!companyId) return;
        assign.mutate(companyId, {
          onSuccess: () => {
            notify({ title: 'Package assigned', color: 'green' });
            setCompanyId(null);
          },
          onError: (err) => notify({ title: 'Not assigned', message: errorMessage(err), color: 'red' }),
        });
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <CompanySelect label="Assign to company" type="customer" value={companyId} onChange={setCompanyId} />
        <NumberInput
          label="Quantity"
          min={1}
          max={100000}
          w={110}
          value={quantity}
          onChange={(v) => setQuantity(Number(v) || 1)}
        />
        <TextInput
          label="Start date"
          type="date"
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          w={170}
        />
        <Switch
          label="Auto-decrement credit"
          checked={auto}
          onChange={(e) => setAuto(e.currentTarget.checked)}
          mb={8}
        />
        <Button type="submit" disabled={!companyId} loading={assign.isPending}>
          Assign
        </Button>
      </Group>
    </form>
  );
}

export function PackagePage() {
  const { id = '' } = useParams();
  const pkg = usePackage(id);
  const assignments = usePackageAssignments(id);
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  useTitle(pkg.data?.name ?? 'Package');
  const remove = useApiMutation(
    (a: PackageAssignmentDto) => api.del(`${CONSOLE_API}/companies/${a.company_id}/packages/${a.id}`),
    () => [['packages']],
  );
  if (pkg.isPending) return <LoadingState />;
  if (pkg.isError) return <ErrorState error={pkg.error} onRetry={() => void pkg.refetch()} />;
  const p = pkg.data;
  return (
    <>
      <PageHeader
        title={p.name}
        subtitle={`${p.type === 'free_minutes' ? 'Free minutes' : 'Standard'} · ${formatMoney(p.retail, p.currency)} ${p.frequency} · setup ${formatMoney(p.setup_retail, p.currency)}`}
        actions={
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit package
          </Button>
        }
      />
      {p.description && <Text mb="md">{p.description}</Text>}
      <Card withBorder radius="md" p="md">
        <Text fw={600} mb="sm" component="h2">
          Assigned to
        </Text>
        <AssignPackage pkg={p} />
        {assignments.isPending ? (
          <TableSkeleton rows={2} />
        ) : assignments.isError ? (
          <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />
        ) : assignments.data.items.length === 0 ? (
          <Empty title="Not assigned to any company" />
        ) : (
          <Table mt="md" aria-label="Assignments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Company</Table.Th>
                <Table.Th scope="col">Quantity</Table.Th>
                <Table.Th scope="col">From</Table.Th>
                <Table.Th scope="col">Until</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assignments.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/companies/${a.company_id}`}>
                      {a.company_name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{a.quantity}</Table.Td>
                  <Table.Td>{a.start_date}</Table.Td>
                  <Table.Td>{a.end_date ?? 'open-ended'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove from ${a.company_name}`}
                      onClick={() =>
                        remove.mutate(a, {
                          onError: (e) =>
                            notify({ title: 'Not removed', message: errorMessage(e), color: 'red' }),
                        })
                      }
                    >
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {editing && <PackageModal pkg={p} opened onClose={() => setEditing(false)} />}
    </>
  );
}
