/** Add/edit and bulk-edit dialogs of DIDs (company tab and the operator-wide DIDs page). */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { CompanySelect } from '../../components/CompanySelect.tsx';
import { AlertIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { CONSOLE_API, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import { DESTINATION_HELP, DESTINATION_TYPES, type DestinationType, type DidDto } from './telecom.ts';

interface Form {
  number: string;
  company_id: string | null;
  destination_type: DestinationType;
  destination: string;
  destination_locked: boolean;
  tags: string[];
  enabled: boolean;
}

const FIELDS = ['number', 'company_id', 'destination_type', 'destination', 'tags'];

const toForm = (d: DidDto | null, companyId: string | null): Form =>
  d
    ? {
        number: d.number,
        company_id: d.company_id,
        destination_type: d.destination_type,
        destination: d.destination,
        destination_locked: d.destination_locked,
        tags: d.tags,
        enabled: d.enabled,
      }
    : {
        number: '',
        company_id: companyId,
        destination_type: 'uri',
        destination: '',
        destination_locked: false,
        tags: [],
        enabled: true,
      };

/** Invalidates every DID list and company tab that shows DIDs. */
export const DID_KEYS = [['dids']] as const;

/**
 * Adds a DID (did = null) or edits one. With a company, the DID belongs to it and the company field
 * is not shown.
 */
export function DidModal({
  opened,
  did,
  company,
  onClose,
}: {
  opened: boolean;
  did: DidDto | null;
  company?: CompanyDto;
  onClose: () => void;
}) {
  const notify = useNotify();
  // Mounted per dialog (key = the DID), so the form starts from the DID being edited.
  const [form, setForm] = useState<Form>(() => toForm(did, company?.id ?? null));
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const save = useApiMutation(
    (body: Form) =>
      did
        ? api.patch<DidDto>(`${CONSOLE_API}/dids/${encodeURIComponent(did.id)}`, body)
        : api.post<DidDto>(`${CONSOLE_API}/dids`, body),
    () => DID_KEYS,
  );
  const field = errorField(save.error);
  const err = (k: string) => (field === k ? errorMessage(save.error) : undefined);
  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { ...form, number: form.number.trim(), destination: form.destination.trim() },
      {
        onSuccess: (d) => {
          notify({ title: did ? 'DID saved' : 'DID added', message: `+${d.number}` });
          close();
        },
      },
    );
  };
  const circuit = form.destination_type === 'circuit_test';
  return (
    <AppModal opened={opened} onClose={close} title={did ? `Edit DID +${did.number}` : 'Add DID'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Number"
              description="With the country code; +, spaces and dashes are ignored."
              required
              data-autofocus
              inputMode="tel"
              autoComplete="off"
              value={form.number}
              onChange={(e) => set({ number: e.currentTarget.value })}
              error={err('number')}
            />
            {company ? (
              <TextInput label="Company" value={company.name} readOnly variant="filled" />
            ) : (
              <CompanySelect
                label="Company"
                description="Empty: the number stays in stock."
                type="customer"
                value={form.company_id}
                onChange={(id) => set({ company_id: id })}
                error={err('company_id')}
              />
            )}
            <Select
              label="Destination type"
              data={DESTINATION_TYPES}
              value={form.destination_type}
              onChange={(v) => v && set({ destination_type: v as DestinationType })}
              allowDeselect={false}
              error={err('destination_type')}
            />
            <TextInput
              label="Destination"
              description={DESTINATION_HELP[form.destination_type]}
              disabled={circuit}
              value={circuit ? '' : form.destination}
              onChange={(e) => set({ destination: e.currentTarget.value })}
              error={err('destination')}
              autoComplete="off"
            />
          </SimpleGrid>
          <TagsInput
            label="Tags"
            description="Labels for organising numbers; press Enter after each one."
            value={form.tags}
            onChange={(tags) => set({ tags })}
            error={err('tags')}
            maxTags={20}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear tags' }}
          />
          <Switch
            label="Enabled"
            description="A disabled DID rejects incoming calls."
            checked={form.enabled}
            onChange={(e) => set({ enabled: e.currentTarget.checked })}
          />
          <Switch
            label="Lock destination"
            description="The customer sees the destination in the portal but cannot change it."
            checked={form.destination_locked}
            onChange={(e) => set({ destination_locked: e.currentTarget.checked })}
          />
          {save.isError && (!field || !FIELDS.includes(field)) && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(save.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!form.number.trim()}>
              {did ? 'Save DID' : 'Add DID'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

type Tri = 'keep' | 'on' | 'off';
type CompanyMode = 'keep' | 'assign' | 'stock';

interface BulkForm {
  enabled: Tri;
  locked: Tri;
  companyMode: CompanyMode;
  company_id: string | null;
  changeDestination: boolean;
  destination_type: DestinationType;
  destination: string;
  add_tags: string[];
  remove_tags: string[];
}

const EMPTY_BULK: BulkForm = {
  enabled: 'keep',
  locked: 'keep',
  companyMode: 'keep',
  company_id: null,
  changeDestination: false,
  destination_type: 'uri',
  destination: '',
  add_tags: [],
  remove_tags: [],
};

/** The patch the bulk endpoint takes, from the form (only what the user chose to change). */
function bulkPatch(f: BulkForm): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (f.enabled !== 'keep') patch.enabled = f.enabled === 'on';
  if (f.locked !== 'keep') patch.destination_locked = f.locked === 'on';
  if (f.companyMode === 'assign') patch.company_id = f.company_id;
  if (f.companyMode === 'stock') patch.company_id = null;
  if (f.changeDestination) {
    patch.destination_type = f.destination_type;
    patch.destination = f.destination_type === 'circuit_test' ? '' : f.destination.trim();
  }
  if (f.add_tags.length) patch.add_tags = f.add_tags;
  if (f.remove_tags.length) patch.remove_tags = f.remove_tags;
  return patch;
}

/** Changes several DIDs at once; the server applies all of it or nothing. */
export function BulkDidModal({
  selected,
  opened,
  onClose,
  onDone,
}: {
  selected: DidDto[];
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const notify = useNotify();
  const [form, setForm] = useState<BulkForm>(EMPTY_BULK);
  const set = (patch: Partial<BulkForm>) => setForm((f) => ({ ...f, ...patch }));
  const bulk = useApiMutation(
    (body: { ids: string[]; patch: Record<string, unknown> }) =>
      api.post<{ updated: number }>(`${CONSOLE_API}/dids/bulk`, body),
    () => DID_KEYS,
  );
  const field = errorField(bulk.error);
  const errField = field?.replace(/^patch\./, '') ?? null;
  const err = (k: string) => (errField === k ? errorMessage(bulk.error) : undefined);
  // Errors about these fields appear next to their inputs; any other appears under the form.
  const fieldShown = [
    'company_id',
    'destination',
    'destination_type',
    'tags',
    'add_tags',
    'remove_tags',
  ].includes(errField ?? '');
  const close = () => {
    bulk.reset();
    setForm(EMPTY_BULK);
    onClose();
  };
  const patch = bulkPatch(form);
  const nothing = Object.keys(patch).length === 0 || (form.companyMode === 'assign' && !form.company_id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    bulk.mutate(
      { ids: selected.map((d) => d.id), patch },
      {
        onSuccess: (r) => {
          notify({
            title: 'DIDs updated',
            message: `${r.updated} DID${r.updated === 1 ? '' : 's'} changed.`,
          });
          onDone();
          close();
        },
      },
    );
  };
  const TRI = (on: string, off: string) => [
    { value: 'keep', label: 'Leave as is' },
    { value: 'on', label: on },
    { value: 'off', label: off },
  ];
  const n = selected.length;
  return (
    <AppModal opened={opened} onClose={close} title={`Edit ${n} DID${n === 1 ? '' : 's'}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            Only the fields you change are applied. If any DID cannot take the change, none is changed.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Enabled"
              data={TRI('Enable', 'Disable')}
              value={form.enabled}
              onChange={(v) => v && set({ enabled: v as Tri })}
              allowDeselect={false}
            />
            <Select
              label="Destination lock"
              data={TRI('Lock', 'Unlock')}
              value={form.locked}
              onChange={(v) => v && set({ locked: v as Tri })}
              allowDeselect={false}
            />
            <Select
              label="Company"
              data={[
                { value: 'keep', label: 'Leave as is' },
                { value: 'assign', label: 'Assign to a company' },
                { value: 'stock', label: 'Unassign (back to stock)' },
              ]}
              value={form.companyMode}
              onChange={(v) => v && set({ companyMode: v as CompanyMode })}
              allowDeselect={false}
              error={form.companyMode !== 'assign' ? err('company_id') : undefined}
            />
            {form.companyMode === 'assign' && (
              <CompanySelect
                label="Assign to"
                type="customer"
                value={form.company_id}
                onChange={(id) => set({ company_id: id })}
                error={err('company_id')}
              />
            )}
          </SimpleGrid>
          <Checkbox
            label="Change the destination"
            checked={form.changeDestination}
            onChange={(e) => set({ changeDestination: e.currentTarget.checked })}
          />
          {form.changeDestination && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Destination type"
                data={DESTINATION_TYPES}
                value={form.destination_type}
                onChange={(v) => v && set({ destination_type: v as DestinationType })}
                allowDeselect={false}
                error={err('destination_type')}
              />
              <TextInput
                label="Destination"
                description={DESTINATION_HELP[form.destination_type]}
                disabled={form.destination_type === 'circuit_test'}
                value={form.destination_type === 'circuit_test' ? '' : form.destination}
                onChange={(e) => set({ destination: e.currentTarget.value })}
                error={err('destination')}
                autoComplete="off"
              />
            </SimpleGrid>
          )}
          {!form.changeDestination && errField === 'destination' && (
            <Alert
              color="red"
              variant="light"
              icon={<AlertIcon />}
              title="A destination does not fit"
              role="alert"
            >
              {errorMessage(bulk.error)}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TagsInput
              label="Add tags"
              description="Press Enter after each tag."
              value={form.add_tags}
              onChange={(add_tags) => set({ add_tags })}
              error={err('add_tags') ?? err('tags')}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear tags to add' }}
            />
            <TagsInput
              label="Remove tags"
              description="Press Enter after each tag."
              value={form.remove_tags}
              onChange={(remove_tags) => set({ remove_tags })}
              error={err('remove_tags')}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear tags to remove' }}
            />
          </SimpleGrid>
          {bulk.isError && !fieldShown && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(bulk.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={bulk.isPending} disabled={nothing}>
              Apply to {n} DID{n === 1 ? '' : 's'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
