import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CompanyDto, CompanyStatus, CompanyType } from '../../../../../common/api.ts';
import { CURRENCIES } from '../../../../../common/currencies.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { DomainSelect } from '../../components/DomainSelect.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { COMPANY_STATUSES, isDecimal, sentence } from '../../format.ts';
import { CONSOLE_API, errorField, errorMessage, useApiMutation } from '../../hooks.ts';

interface Form {
  type: CompanyType;
  name: string;
  currency: string;
  debit_limit: string;
  domain_id: string | null;
  status: CompanyStatus;
}

const EMPTY: Form = {
  type: 'customer',
  name: '',
  currency: 'USD',
  debit_limit: '0',
  domain_id: null,
  status: 'active',
};

export const TYPE_DATA = [
  { value: 'customer', label: 'Customer' },
  { value: 'carrier', label: 'Carrier' },
];
export const STATUS_DATA = COMPANY_STATUSES.map((s) => ({ value: s, label: sentence(s) }));
export const CURRENCY_DATA = [...CURRENCIES];

export function AddCompanyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const [form, setForm] = useState<Form>(EMPTY);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const create = useApiMutation(
    (body: Form) =>
      api.post<CompanyDto>(`${CONSOLE_API}/companies`, { ...body, portal_access: true, show: [], hide: [] }),
    () => [['companies', 'list']],
  );
  const field = errorField(create.error);
  const err = (k: keyof Form) => (field === k ? errorMessage(create.error) : undefined);
  const limitInvalid = form.debit_limit.trim() !== '' && !isDecimal(form.debit_limit, false);

  const close = () => {
    create.reset();
    setForm(EMPTY);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { ...form, name: form.name.trim(), debit_limit: form.debit_limit.trim() || '0' },
      {
        onSuccess: (c) => {
          notify({ title: 'Company added', message: `${c.name} was created.` });
          close();
          void navigate(`/companies/${c.id}`);
        },
      },
    );
  };

  return (
    <AppModal opened={opened} onClose={close} title="Add company" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Type"
              data={TYPE_DATA}
              value={form.type}
              onChange={(v) => v && set({ type: v as CompanyType })}
              allowDeselect={false}
              error={err('type')}
            />
            <TextInput
              label="Name"
              required
              data-autofocus
              value={form.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              error={err('name')}
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
              description="Credit allowed below zero balance."
              inputMode="decimal"
              value={form.debit_limit}
              onChange={(e) => set({ debit_limit: e.currentTarget.value })}
              error={err('debit_limit') ?? (limitInvalid ? 'Enter an amount like 100 or 250.50.' : undefined)}
            />
            <DomainSelect
              value={form.domain_id}
              onChange={(id) => set({ domain_id: id })}
              error={err('domain_id')}
            />
            <Select
              label="Status"
              data={STATUS_DATA}
              value={form.status}
              onChange={(v) => v && set({ status: v as CompanyStatus })}
              allowDeselect={false}
              error={err('status')}
            />
          </SimpleGrid>
          {create.isError && (!field || !(field in EMPTY)) && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!form.name.trim() || limitInvalid}>
              Add company
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
