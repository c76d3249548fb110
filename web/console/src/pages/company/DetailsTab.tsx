import {
  Alert,
  Card,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CompanyDto, CompanyStatus } from '../../../../../common/api.ts';
import { FEATURE_GROUPS, FEATURES } from '../../../../../common/features.ts';
import { api } from '../../../../ui/api.ts';
import { DomainSelect } from '../../components/DomainSelect.tsx';
import { AlertIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { SaveBar } from '../../components/SaveBar.tsx';
import { isDecimal } from '../../format.ts';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import { CURRENCY_DATA, STATUS_DATA } from './AddCompanyModal.tsx';
import { parseLimit } from './telecom.ts';

type Editable = Pick<
  CompanyDto,
  'name' | 'status' | 'currency' | 'debit_limit' | 'domain_id' | 'portal_access' | 'show' | 'hide'
> & { channels: string; cps: string };
const KEYS = [
  'channels',
  'cps',
  'name',
  'status',
  'currency',
  'debit_limit',
  'domain_id',
  'portal_access',
  'show',
  'hide',
] as const;
const ORDER = FEATURES.map((f) => f.id as string);

const toForm = (c: CompanyDto): Editable => ({
  name: c.name,
  status: c.status,
  currency: c.currency,
  debit_limit: c.debit_limit,
  domain_id: c.domain_id,
  portal_access: c.portal_access,
  show: ORDER.filter((id) => c.show.includes(id)),
  hide: ORDER.filter((id) => c.hide.includes(id)),
  channels: c.channels === null ? '' : String(c.channels),
  cps: c.cps === null ? '' : String(c.cps),
});

const LIMIT_HELP = 'Enter a whole number, or leave empty for unlimited.';

/** Feature options grouped like the registry; ids taken by the other list are disabled. */
function featureData(taken: string[]) {
  return FEATURE_GROUPS.map((group) => ({
    group,
    items: FEATURES.filter((f) => f.group === group).map((f) => ({
      value: f.id as string,
      label: f.label,
      disabled: taken.includes(f.id),
    })),
  })).filter((g) => g.items.length > 0);
}

export function DetailsTab({ company }: { company: CompanyDto }) {
  const qc = useQueryClient();
  const notify = useNotify();
  const [form, setForm] = useState<Editable>(() => toForm(company));
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const set = (patch: Partial<Editable>) => setForm((f) => ({ ...f, ...patch }));
  const base = useMemo(() => toForm(company), [company]);
  const changes = Object.fromEntries(
    KEYS.filter((k) => JSON.stringify(base[k]) !== JSON.stringify(form[k])).map((k) => [k, form[k]]),
  );
  const dirty = Object.keys(changes).length > 0;
  // A refreshed company (e.g. after another tab's change) replaces the form unless it was edited.
  const prevBase = useRef(base);
  useEffect(() => {
    const old = prevBase.current;
    prevBase.current = base;
    setForm((f) => (JSON.stringify(f) === JSON.stringify(old) ? base : f));
  }, [base]);
  const limitInvalid = !isDecimal(form.debit_limit, false);
  const channels = parseLimit(form.channels);
  const cps = parseLimit(form.cps);
  const invalid = limitInvalid || channels === undefined || cps === undefined;

  const save = useApiMutation(
    (body: Record<string, unknown>) => api.patch<CompanyDto>(companyPath(company.id), body),
    () => [['companies']],
  );
  const onSave = () => {
    setError(null);
    const body: Record<string, unknown> = { ...changes };
    if (typeof body.name === 'string') body.name = body.name.trim();
    if (typeof body.debit_limit === 'string') body.debit_limit = body.debit_limit.trim();
    if ('channels' in body) body.channels = channels;
    if ('cps' in body) body.cps = cps;
    save.mutate(body, {
      onSuccess: (c) => {
        qc.setQueryData(['companies', 'detail', c.id], c);
        setForm(toForm(c));
        notify({ title: 'Company saved', message: `${c.name} was updated.` });
      },
      onError: (err) => setError({ field: errorField(err), message: errorMessage(err) }),
    });
  };
  const err = (k: string) => (error?.field === k ? error.message : undefined);
  const unplaced = error && !(error.field && (KEYS as readonly string[]).includes(error.field));

  return (
    <Stack gap="lg">
      {unplaced && (
        <Alert color="red" variant="light" icon={<AlertIcon />} title="Could not save the changes">
          {error.message}
        </Alert>
      )}
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="md">
          Account
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <TextInput
            label="Name"
            required
            value={form.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={err('name')}
          />
          <Select
            label="Status"
            data={STATUS_DATA}
            value={form.status}
            onChange={(v) => v && set({ status: v as CompanyStatus })}
            allowDeselect={false}
            error={err('status')}
          />
          <Select
            label="Currency"
            data={CURRENCY_DATA}
            searchable
            value={form.currency}
            onChange={(v) => v && set({ currency: v })}
            allowDeselect={false}
            error={err('currency')}
            maxDropdownHeight={240}
          />
          <TextInput
            label="Debit limit"
            description={`Credit allowed below zero, in ${form.currency}.`}
            inputMode="decimal"
            value={form.debit_limit}
            onChange={(e) => set({ debit_limit: e.currentTarget.value })}
            error={err('debit_limit') ?? (limitInvalid ? 'Enter an amount like 100 or 250.50.' : undefined)}
          />
          <DomainSelect
            value={form.domain_id}
            onChange={(id) => set({ domain_id: id })}
            error={err('domain_id')}
            description="Contacts sign in only on this domain's portal."
          />
        </SimpleGrid>
      </Card>
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="xs">
          Limits
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          For all of the customer&rsquo;s traffic together. The channels given to its SIP users must fit in
          the channel limit.
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <TextInput
            label="Channel limit"
            description="Concurrent calls. Empty: unlimited."
            inputMode="numeric"
            value={form.channels}
            onChange={(e) => set({ channels: e.currentTarget.value })}
            error={err('channels') ?? (channels === undefined ? LIMIT_HELP : undefined)}
          />
          <TextInput
            label="Flow speed (CPS)"
            description="New calls per second. Empty: unlimited."
            inputMode="numeric"
            value={form.cps}
            onChange={(e) => set({ cps: e.currentTarget.value })}
            error={err('cps') ?? (cps === undefined ? LIMIT_HELP : undefined)}
          />
        </SimpleGrid>
      </Card>
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="md">
          Portal
        </Title>
        <Stack gap="md">
          <Switch
            label="Portal access"
            description="When off, no contact of this company can sign in."
            checked={form.portal_access}
            onChange={(e) => set({ portal_access: e.currentTarget.checked })}
            error={err('portal_access')}
          />
          <Text size="sm" c="dimmed">
            The domain&rsquo;s feature defaults apply unless overridden here. Show turns a feature on, Hide
            turns it off; see the Feature access tab for the result.
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <MultiSelect
              label="Show"
              description="Features forced on for this company."
              placeholder={form.show.length ? undefined : 'None'}
              data={featureData(form.hide)}
              value={form.show}
              onChange={(v) => set({ show: ORDER.filter((id) => v.includes(id)) })}
              searchable
              clearable
              clearButtonProps={{ 'aria-label': 'Clear Show list' }}
              error={err('show')}
              maxDropdownHeight={300}
            />
            <MultiSelect
              label="Hide"
              description="Features forced off for this company."
              placeholder={form.hide.length ? undefined : 'None'}
              data={featureData(form.show)}
              value={form.hide}
              onChange={(v) => set({ hide: ORDER.filter((id) => v.includes(id)) })}
              searchable
              clearable
              clearButtonProps={{ 'aria-label': 'Clear Hide list' }}
              error={err('hide')}
              maxDropdownHeight={300}
            />
          </SimpleGrid>
        </Stack>
      </Card>
      <SaveBar
        dirty={dirty}
        invalid={invalid}
        saving={save.isPending}
        onSave={onSave}
        onDiscard={() => {
          setForm(base);
          setError(null);
        }}
        count={Object.keys(changes).length}
      />
    </Stack>
  );
}
