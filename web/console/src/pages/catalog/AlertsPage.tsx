/** Alerts of every company: list with filters, create, edit and delete (evaluation comes with the alert engine). */
import { Badge, Button, Card, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { CompanySelect } from '../../components/CompanySelect.tsx';
import { PlusIcon, SearchIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
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
import { ALERT_AREAS, type AlertDto, useAlerts } from './api.ts';

const AREA_OPTIONS = Object.entries(ALERT_AREAS).map(([value, label]) => ({ value, label }));
const COMPARATORS = [
  { value: '<', label: 'falls below' },
  { value: '>', label: 'rises above' },
  { value: '=', label: 'equals' },
];

interface AlertForm {
  company_id: string | null;
  title: string;
  area: string;
  comparator: string;
  threshold: string;
  reset_threshold: string;
  recipient: string;
  sample_minutes: string;
  penalty_minutes: string;
  notice_level: string;
  enabled: boolean;
}

const toForm = (a: AlertDto | null): AlertForm => ({
  company_id: a?.company_id ?? null,
  title: a?.title ?? '',
  area: a?.area ?? 'balance',
  comparator: a?.comparator ?? '<',
  threshold: a?.threshold ?? '',
  reset_threshold: a?.reset_threshold ?? '',
  recipient: a?.recipient ?? '',
  sample_minutes: a?.sample_minutes?.toString() ?? '',
  penalty_minutes: a?.penalty_minutes?.toString() ?? '',
  notice_level: a?.notice_level ?? 'warning',
  enabled: a?.enabled ?? true,
});

const intOrNull = (s: string) => (s.trim() ? Number(s) : null);

function AlertModal({
  alert,
  opened,
  onClose,
}: {
  alert: AlertDto | null;
  opened: boolean;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [f, setF] = useState<AlertForm>(() => toForm(alert));
  const save = useApiMutation(
    (body: Record<string, unknown>) =>
      alert
        ? api.patch<AlertDto>(`${CONSOLE_API}/alerts/${alert.id}`, body)
        : api.post<AlertDto>(`${CONSOLE_API}/alerts`, body),
    () => [['alerts']],
  );
  const field = errorField(save.error);
  const err = (name: string) => (field === name ? errorMessage(save.error) : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      title: f.title.trim(),
      area: f.area,
      comparator: f.comparator,
      threshold: f.threshold.trim(),
      reset_threshold: f.reset_threshold.trim() || null,
      recipient: f.recipient.trim() || null,
      sample_minutes: intOrNull(f.sample_minutes),
      penalty_minutes: intOrNull(f.penalty_minutes),
      notice_level: f.notice_level,
      enabled: f.enabled,
    };
    if (!alert) body.company_id = f.company_id;
    save.mutate(body, {
      onSuccess: () => {
        notify({ title: alert ? 'Alert saved' : 'Alert created', color: 'green' });
        onClose();
      },
    });
  };
  const up = (k: keyof AlertForm) => (v: string | null) => setF((x) => ({ ...x, [k]: v ?? '' }));
  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title={alert ? `Edit “${alert.title}”` : 'New alert'}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!alert && (
            <CompanySelect
              label="Company"
              type="customer"
              value={f.company_id}
              onChange={(id) => setF((x) => ({ ...x, company_id: id }))}
              error={err('company_id')}
            />
          )}
          <TextInput
            label="Title"
            required
            value={f.title}
            onChange={(e) => up('title')(e.currentTarget.value)}
            error={err('title')}
          />
          <Group grow align="flex-start">
            <Select
              label="Measure"
              data={AREA_OPTIONS}
              value={f.area}
              onChange={up('area')}
              allowDeselect={false}
            />
            <Select
              label="Fires when it"
              data={COMPARATORS}
              value={f.comparator}
              onChange={up('comparator')}
              allowDeselect={false}
            />
            <TextInput
              label="Threshold"
              required
              inputMode="decimal"
              value={f.threshold}
              onChange={(e) => up('threshold')(e.currentTarget.value)}
              error={err('threshold')}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Re-arms at"
              description="Hysteresis: fires again only after crossing back past this value"
              inputMode="decimal"
              value={f.reset_threshold}
              onChange={(e) => up('reset_threshold')(e.currentTarget.value)}
              error={err('reset_threshold')}
            />
            <TextInput
              label="Sample period (minutes)"
              description="For rates such as ASR; empty for balance"
              inputMode="numeric"
              value={f.sample_minutes}
              onChange={(e) => up('sample_minutes')(e.currentTarget.value)}
              error={err('sample_minutes')}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Notify"
              description="Email address; empty = every contact of the company"
              type="email"
              value={f.recipient}
              onChange={(e) => up('recipient')(e.currentTarget.value)}
              error={err('recipient')}
            />
            <TextInput
              label="Penalty (minutes)"
              description="Suspend the company this long when it fires; empty = never"
              inputMode="numeric"
              value={f.penalty_minutes}
              onChange={(e) => up('penalty_minutes')(e.currentTarget.value)}
              error={err('penalty_minutes')}
            />
          </Group>
          <Group grow align="flex-end">
            <Select
              label="Notice level"
              data={[
                { value: 'warning', label: 'Warning' },
                { value: 'error', label: 'Error' },
              ]}
              value={f.notice_level}
              onChange={up('notice_level')}
              allowDeselect={false}
            />
            <Switch
              label="Enabled"
              checked={f.enabled}
              onChange={(e) => setF((x) => ({ ...x, enabled: e.currentTarget.checked }))}
            />
          </Group>
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
              {alert ? 'Save' : 'Create alert'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

export function AlertsPage() {
  useTitle('Alerts');
  const notify = useNotify();
  const { page, values, set } = useListParams(['q', 'company_id', 'area'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = useAlerts({ q: values.q, company_id: values.company_id, area: values.area, page });
  const [editing, setEditing] = useState<AlertDto | 'new' | null>(null);
  const remove = useApiMutation(
    (a: AlertDto) => api.del(`${CONSOLE_API}/alerts/${a.id}`),
    () => [['alerts']],
  );
  const filtered = Boolean(values.q || values.company_id || values.area);

  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Balance and traffic alerts per company. A sign-up template customer’s alerts are copied to every new customer."
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing('new')}>
            New alert
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label="Search alerts"
            placeholder="Title or company"
            type="search"
            leftSection={<SearchIcon size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 220px' }}
            maw={320}
          />
          <CompanySelect
            label="Company"
            type="customer"
            value={values.company_id || null}
            onChange={(id) => set({ company_id: id ?? '' })}
            placeholder="Any company"
          />
          <Select
            label="Measure"
            placeholder="Any"
            data={AREA_OPTIONS}
            value={values.area || null}
            onChange={(v) => set({ area: v ?? '' })}
            clearable
          />
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          filtered ? (
            <Empty title="No matching alerts" description="Change the filters or clear the search." />
          ) : (
            <Empty
              title="No alerts yet"
              description="Create an alert, e.g. a low-balance warning on your sign-up template customer."
              action={<Button onClick={() => setEditing('new')}>New alert</Button>}
            />
          )
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table aria-label="Alerts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Title</Table.Th>
                    <Table.Th scope="col">Company</Table.Th>
                    <Table.Th scope="col">Condition</Table.Th>
                    <Table.Th scope="col">Notify</Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody aria-busy={list.isPlaceholderData}>
                  {list.data.items.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td fw={500}>{a.title}</Table.Td>
                      <Table.Td>
                        <Text
                          component={Link}
                          to={`/companies/${a.company_id}`}
                          size="sm"
                          className="row-link"
                        >
                          {a.company_name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {ALERT_AREAS[a.area]} {a.comparator} {a.threshold}
                        {a.reset_threshold ? ` (re-arms at ${a.reset_threshold})` : ''}
                      </Table.Td>
                      <Table.Td>{a.recipient ?? 'All contacts'}</Table.Td>
                      <Table.Td>
                        <Badge
                          color={a.enabled ? (a.notice_level === 'error' ? 'red' : 'orange') : 'gray'}
                          variant="light"
                        >
                          {a.enabled ? a.notice_level : 'disabled'}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setEditing(a)}
                            aria-label={`Edit ${a.title}`}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            aria-label={`Delete ${a.title}`}
                            onClick={() =>
                              remove.mutate(a, {
                                onSuccess: () =>
                                  notify({ title: `Alert “${a.title}” deleted`, color: 'green' }),
                                onError: (e) =>
                                  notify({ title: 'Not deleted', message: errorMessage(e), color: 'red' }),
                              })
                            }
                          >
                            Delete
                          </Button>
                        </Group>
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
              noun="alerts"
            />
          </>
        )}
      </Card>
      {editing && (
        <AlertModal
          key={editing === 'new' ? 'new' : editing.id}
          alert={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
