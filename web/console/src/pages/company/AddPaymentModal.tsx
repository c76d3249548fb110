/** The "Add payment" dialog (amounts are decimal strings, negative for a charge). */
import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { formatMoney, isDecimal, sentence } from '../../format.ts';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import type { PaymentStatus } from '../../types.ts';
import { CURRENCY_DATA } from './AddCompanyModal.tsx';

const METHODS = ['bank_transfer', 'credit', 'charge', 'stripe', 'paypal', 'voucher', 'manual'].map((m) => ({
  value: m,
  label: sentence(m),
}));

export function AddPaymentModal({
  company,
  opened,
  onClose,
}: {
  company: CompanyDto;
  opened: boolean;
  onClose: () => void;
}) {
  const notify = useNotify();
  const empty = {
    amount: '',
    currency: company.currency,
    method: 'bank_transfer',
    status: 'completed' as PaymentStatus,
    description: '',
  };
  const [form, setForm] = useState(empty);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const create = useApiMutation(
    (body: typeof form) =>
      api.post(`${companyPath(company.id)}/payments`, {
        ...body,
        amount: body.amount.trim(),
        description: body.description.trim(),
      }),
    () => [
      ['companies', 'detail', company.id, 'payments'],
      ['companies', 'detail', company.id, 'balance'],
    ],
  );
  const field = errorField(create.error);
  const err = (k: string) => (field === k ? errorMessage(create.error) : undefined);
  const amountInvalid = form.amount.trim() !== '' && !isDecimal(form.amount);
  const close = () => {
    create.reset();
    setForm(empty);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form, {
      onSuccess: () => {
        notify({
          title: 'Payment added',
          message: `${formatMoney(form.amount.trim(), form.currency)} recorded for ${company.name}.`,
        });
        close();
      },
    });
  };
  return (
    <AppModal opened={opened} onClose={close} title="Add payment">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label="Amount"
              description="Negative for a charge."
              required
              data-autofocus
              inputMode="decimal"
              placeholder="100.00"
              value={form.amount}
              onChange={(e) => set({ amount: e.currentTarget.value })}
              error={err('amount') ?? (amountInvalid ? 'Enter an amount like 100 or -12.50.' : undefined)}
            />
            <Select
              label="Currency"
              data={CURRENCY_DATA}
              searchable
              value={form.currency}
              onChange={(v) => v && set({ currency: v })}
              allowDeselect={false}
              error={err('currency')}
              maxDropdownHeight={220}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label="Method"
              data={METHODS}
              value={form.method}
              onChange={(v) => v && set({ method: v })}
              allowDeselect={false}
              error={err('method')}
            />
            <Select
              label="Status"
              data={[
                { value: 'completed', label: 'Completed' },
                { value: 'pending', label: 'Pending' },
                { value: 'cancelled', label: 'Cancelled' },
              ]}
              value={form.status}
              onChange={(v) => v && set({ status: v as PaymentStatus })}
              allowDeselect={false}
              error={err('status')}
            />
          </Group>
          <TextInput
            label="Description"
            value={form.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            error={err('description')}
            placeholder="Welcome credit"
          />
          {create.isError &&
            !['amount', 'currency', 'method', 'status', 'description'].includes(field ?? '') && (
              <Text c="red.9" size="sm" role="alert">
                {errorMessage(create.error)}
              </Text>
            )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!form.amount.trim() || amountInvalid}>
              Add payment
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
