/** The "New rate card" dialog: name, currency, precision, rounding and direction. */
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { CURRENCIES } from '../../../../../common/currencies.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { CONSOLE_API, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import {
  DIRECTION_DATA,
  type Direction,
  type RateCardDto,
  ROUNDING_DATA,
  type Rounding,
} from '../../rateCards.ts';

interface Form {
  name: string;
  currency: string;
  precision: string;
  rounding: Rounding;
  direction: Direction;
}

const EMPTY: Form = {
  name: '',
  currency: 'USD',
  precision: '4',
  rounding: 'half_up',
  direction: 'termination',
};
const FIELDS = Object.keys(EMPTY);
const CURRENCY_DATA = [...CURRENCIES];
const PRECISION_DATA = ['0', '1', '2', '3', '4', '5', '6'].map((p) => ({
  value: p,
  label: p === '1' ? '1 decimal' : `${p} decimals`,
}));

export function NewRateCardModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const [form, setForm] = useState<Form>(EMPTY);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const create = useApiMutation(
    (body: Form) =>
      api.post<RateCardDto>(`${CONSOLE_API}/rate-cards`, {
        ...body,
        name: body.name.trim(),
        precision: Number(body.precision),
      }),
    () => [['rate-cards']],
  );
  const field = errorField(create.error);
  const err = (k: keyof Form) => (field === k ? errorMessage(create.error) : undefined);

  const close = () => {
    create.reset();
    setForm(EMPTY);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return;
    create.mutate(form, {
      onSuccess: (card) => {
        notify({ title: 'Rate card created', message: `Import rates into ${card.name} to start rating.` });
        close();
        void navigate(`/rate-cards/${card.id}`);
      },
    });
  };

  return (
    <AppModal opened={opened} onClose={close} title="New rate card" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description="Shown to operators only, e.g. “Wholesale A-Z USD”."
            required
            data-autofocus
            maxLength={100}
            value={form.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={err('name')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Currency"
              description="Companies billed in this currency can use the card."
              data={CURRENCY_DATA}
              searchable
              value={form.currency}
              onChange={(v) => v && set({ currency: v })}
              allowDeselect={false}
              error={err('currency')}
              maxDropdownHeight={240}
            />
            <Select
              label="Direction"
              description="Which calls the card prices."
              data={DIRECTION_DATA}
              value={form.direction}
              onChange={(v) => v && set({ direction: v as Direction })}
              allowDeselect={false}
              error={err('direction')}
            />
            <Select
              label="Precision"
              description="Decimal places of each call's charge."
              data={PRECISION_DATA}
              value={form.precision}
              onChange={(v) => v && set({ precision: v })}
              allowDeselect={false}
              error={err('precision')}
            />
            <Select
              label="Rounding"
              description="How a charge is rounded to that precision."
              data={ROUNDING_DATA}
              value={form.rounding}
              onChange={(v) => v && set({ rounding: v as Rounding })}
              allowDeselect={false}
              error={err('rounding')}
            />
          </SimpleGrid>
          {create.isError && (!field || !FIELDS.includes(field)) && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!form.name.trim()}>
              Create rate card
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
