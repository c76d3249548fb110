/** The add/edit dialog of a company's Routes tab. */
import { Anchor, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { EditorActions } from '../../components/CrudTable.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import { type RouteDto, type RouteInput, useAllRateCards } from '../../rateCards.ts';

interface Form {
  rate_card_id: string | null;
  tech_prefix: string;
  channels: string;
  cps: string;
  max_duration: string;
  public_note: string;
  private_note: string;
  enabled: boolean;
}

const FIELDS: readonly string[] = [
  'rate_card_id',
  'tech_prefix',
  'channels',
  'cps',
  'max_duration',
  'public_note',
  'private_note',
  'enabled',
];
const TECH_PREFIX = /^[0-9#*]{0,20}$/;
const LIMITS = { channels: 100_000, cps: 100_000, max_duration: 86_400 } as const;

function toForm(r: RouteDto | null): Form {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    rate_card_id: r?.rate_card_id ?? null,
    tech_prefix: r?.tech_prefix ?? '',
    channels: n(r?.channels ?? null),
    cps: n(r?.cps ?? null),
    max_duration: n(r?.max_duration ?? null),
    public_note: r?.public_note ?? '',
    private_note: r?.private_note ?? '',
    enabled: r?.enabled ?? true,
  };
}

/**
 * An empty box is "no limit" (null); otherwise a whole number within the server's range. The server
 * turns a null it receives into 0 (its schema coerces types), so a limit that is set cannot be cleared
 * through the API yet: say so instead of silently storing 0.
 */
function limitError(value: string, max: number, saved: number | null | undefined): string | undefined {
  const v = value.trim();
  if (v === '') {
    return saved != null ? 'A limit cannot be removed yet; enter a number.' : undefined;
  }
  if (!/^\d+$/.test(v) || Number(v) > max) return `Enter a whole number from 0 to ${max.toLocaleString()}.`;
  return undefined;
}
const limitValue = (value: string) => (value.trim() === '' ? null : Number(value.trim()));

/**
 * Adds a route (route = null) or edits one. Only rate cards in the company's currency are offered:
 * the server refuses others (currency_mismatch).
 */
export function RouteModal({
  company,
  route,
  opened,
  onClose,
}: {
  company: CompanyDto;
  route: RouteDto | null;
  opened: boolean;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [form, setForm] = useState<Form>(() => toForm(route));
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const cards = useAllRateCards(opened);
  const save = useApiMutation(
    (body: Partial<RouteInput>) =>
      route
        ? api.patch<RouteDto>(`${companyPath(company.id)}/routes/${encodeURIComponent(route.id)}`, body)
        : api.post<RouteDto>(`${companyPath(company.id)}/routes`, body),
    () => [['companies', 'detail', company.id, 'routes']],
  );

  const all = cards.data?.items ?? [];
  const usable = all.filter((c) => c.currency === company.currency);
  const hidden = all.length - usable.length;
  const data = usable.map((c) => ({
    value: c.id,
    label: c.active_revision ? `${c.name} (${c.direction})` : `${c.name} (${c.direction}, no rates yet)`,
  }));
  // The current card stays listed even when the list does not hold it.
  if (route && !data.some((d) => d.value === route.rate_card_id))
    data.unshift({ value: route.rate_card_id, label: route.rate_card_name ?? 'Current rate card' });

  const field = errorField(save.error);
  const serverErr = (k: keyof Form) => (field === k ? errorMessage(save.error) : undefined);
  const prefixInvalid = !TECH_PREFIX.test(form.tech_prefix.trim());
  const localErr = {
    tech_prefix: prefixInvalid ? 'Up to 20 characters: digits, # and *.' : undefined,
    channels: limitError(form.channels, LIMITS.channels, route?.channels),
    cps: limitError(form.cps, LIMITS.cps, route?.cps),
    max_duration: limitError(form.max_duration, LIMITS.max_duration, route?.max_duration),
  };
  const invalid = Object.values(localErr).some(Boolean);

  const cardHint = cards.isError
    ? 'Could not load the rate cards.'
    : `Only rate cards in ${company.currency}, the company's currency, are listed${
        hidden > 0 ? ` (${hidden} in other currencies hidden)` : ''
      }.`;

  const close = () => {
    save.reset();
    setForm(toForm(route));
    onClose();
  };
  const full: RouteInput = {
    rate_card_id: form.rate_card_id ?? '',
    tech_prefix: form.tech_prefix.trim(),
    channels: limitValue(form.channels),
    cps: limitValue(form.cps),
    max_duration: limitValue(form.max_duration),
    public_note: form.public_note.trim(),
    private_note: form.private_note.trim(),
    enabled: form.enabled,
  };
  // Send what changed (edit) and leave out empty limits (the server stores a null it receives as 0).
  const body = Object.fromEntries(
    Object.entries(full).filter(([k, v]) => v !== null && (!route || route[k as keyof RouteInput] !== v)),
  ) as Partial<RouteInput>;
  const unchanged = route !== null && Object.keys(body).length === 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.rate_card_id || invalid || unchanged) return;
    save.mutate(body, {
      onSuccess: () => {
        const what = full.tech_prefix ? `tech prefix ${full.tech_prefix}` : 'no tech prefix';
        notify({
          title: route ? 'Route saved' : 'Route added',
          message: `${company.name}: route with ${what}.`,
        });
        close();
      },
    });
  };

  return (
    <AppModal opened={opened} onClose={close} title={route ? 'Edit route' : 'Add route'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Select
            label="Rate card"
            description={cardHint}
            placeholder={cards.isPending ? 'Loading rate cards…' : 'Choose a rate card'}
            data={data}
            searchable
            required
            data-autofocus
            value={form.rate_card_id}
            onChange={(v) => set({ rate_card_id: v })}
            allowDeselect={false}
            nothingFoundMessage="No matching rate card"
            error={serverErr('rate_card_id')}
            maxDropdownHeight={260}
          />
          {cards.isSuccess && usable.length === 0 && !route && (
            <Text size="sm" c="orange.9">
              No rate card is in {company.currency} yet.{' '}
              <Anchor component={Link} to="/rate-cards" size="sm">
                Create one on the Rate cards page
              </Anchor>
              .
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Tech prefix"
              description="Digits, # or * the customer puts before the number. Empty: none."
              maxLength={20}
              value={form.tech_prefix}
              onChange={(e) => set({ tech_prefix: e.currentTarget.value })}
              error={serverErr('tech_prefix') ?? localErr.tech_prefix}
              autoComplete="off"
            />
            <TextInput
              label="Channels"
              description="Concurrent calls. Empty: unlimited."
              inputMode="numeric"
              value={form.channels}
              onChange={(e) => set({ channels: e.currentTarget.value })}
              error={serverErr('channels') ?? localErr.channels}
            />
            <TextInput
              label="CPS"
              description="New calls per second. Empty: unlimited."
              inputMode="numeric"
              value={form.cps}
              onChange={(e) => set({ cps: e.currentTarget.value })}
              error={serverErr('cps') ?? localErr.cps}
            />
            <TextInput
              label="Max duration (s)"
              description="Longest call in seconds (up to 86,400). Empty: no limit."
              inputMode="numeric"
              value={form.max_duration}
              onChange={(e) => set({ max_duration: e.currentTarget.value })}
              error={serverErr('max_duration') ?? localErr.max_duration}
            />
          </SimpleGrid>
          <Textarea
            label="Public note"
            description="Shown to the customer in the portal."
            autosize
            minRows={2}
            maxLength={2000}
            value={form.public_note}
            onChange={(e) => set({ public_note: e.currentTarget.value })}
            error={serverErr('public_note')}
          />
          <Textarea
            label="Private note"
            description="For operators only; never shown to the customer."
            autosize
            minRows={2}
            maxLength={2000}
            value={form.private_note}
            onChange={(e) => set({ private_note: e.currentTarget.value })}
            error={serverErr('private_note')}
          />
          <Switch
            label="Enabled"
            description="Disabled routes accept no calls."
            checked={form.enabled}
            onChange={(e) => set({ enabled: e.currentTarget.checked })}
            error={serverErr('enabled')}
          />
          <EditorActions
            error={save.error}
            fields={FIELDS}
            onCancel={close}
            submitLabel={route ? 'Save route' : 'Add route'}
            saving={save.isPending}
            disabled={!form.rate_card_id || invalid || unchanged}
          />
        </Stack>
      </form>
    </AppModal>
  );
}
