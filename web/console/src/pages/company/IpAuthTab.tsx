/** A company's IP authentication list: the switch addresses its calls come from or go to. */
import { Badge, Code, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { CrudTable, EditorActions, useCrudParams } from '../../components/CrudTable.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { type IpAuthDto, limitText, parseLimit, useIpAuth } from './telecom.ts';

type Protocol = IpAuthDto['protocol'];
const defaultPort = (p: Protocol) => (p === 'tls' ? '5061' : '5060');

const DIRECTIONS = [
  { value: 'egress', label: 'Egress: the customer sends calls to us' },
  { value: 'ingress', label: 'Ingress: we send calls to the customer' },
];
const PROTOCOLS = [
  { value: 'udp', label: 'UDP' },
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS' },
];

export function IpAuthTab({ company }: { company: CompanyDto }) {
  const params = useCrudParams();
  const list = useIpAuth(company.id, { q: params.q, page: params.page });

  return (
    <CrudTable<IpAuthDto>
      title="IP authentication"
      description={
        <>
          Calls from these addresses are authenticated as {company.name}; calls to the customer go to the
          ingress ones.
        </>
      }
      addLabel="Add address"
      query={list}
      tableLabel={`IP authentication of ${company.name}`}
      minWidth={720}
      search={{ ...params.search, label: 'Search addresses', noMatch: 'No matching addresses' }}
      paging={{ ...params.paging, noun: 'addresses' }}
      empty={{
        title: 'No IP addresses yet',
        description: "Add the customer's switch addresses so their calls are authenticated by IP.",
        withAddButton: true,
      }}
      columns={[
        { header: 'Address', cell: (e) => <Code>{e.address}</Code> },
        {
          header: 'Direction',
          cell: (e) => (
            <Badge variant="light" color={e.direction === 'egress' ? 'blue' : 'grape'}>
              {e.direction}
            </Badge>
          ),
        },
        { header: 'Protocol', cell: (e) => e.protocol.toUpperCase() },
        { header: 'Port', align: 'right', td: { ff: 'monospace' }, cell: (e) => e.port },
        { header: 'Channels', align: 'right', cell: (e) => limitText(e.channels) },
        { header: 'CPS', align: 'right', cell: (e) => limitText(e.cps) },
      ]}
      rowName={(e) => `${e.address} (${e.direction})`}
      editor={(entry, close) => (
        <IpAuthModal key={entry?.id ?? 'new'} company={company} entry={entry} onClose={close} />
      )}
      removeLabel="Remove"
      remover={(entry, opened, close) => (
        <ConfirmDeleteModal
          opened={opened}
          title="Remove address?"
          url={entry ? `${companyPath(company.id)}/ip-auth/${encodeURIComponent(entry.id)}` : null}
          invalidate={[['companies', 'detail', company.id, 'ip-auth']]}
          confirmLabel="Remove address"
          done="Address removed"
          onClose={close}
        >
          {entry?.direction === 'egress' ? (
            <>
              Calls from <strong>{entry?.address}</strong> are no longer accepted as {company.name}.
            </>
          ) : (
            <>
              Calls to {company.name} are no longer sent to <strong>{entry?.address}</strong>.
            </>
          )}
        </ConfirmDeleteModal>
      )}
    />
  );
}

interface Form {
  address: string;
  direction: IpAuthDto['direction'];
  protocol: Protocol;
  port: string;
  channels: string;
  cps: string;
}

const FIELDS = ['address', 'direction', 'protocol', 'port', 'channels', 'cps'];

function IpAuthModal({
  company,
  entry,
  onClose,
}: {
  company: CompanyDto;
  entry: IpAuthDto | null;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [form, setForm] = useState<Form>(() => ({
    address: entry?.address ?? '',
    direction: entry?.direction ?? 'egress',
    protocol: entry?.protocol ?? 'udp',
    port: String(entry?.port ?? 5060),
    channels: entry?.channels == null ? '' : String(entry.channels),
    cps: entry?.cps == null ? '' : String(entry.cps),
  }));
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const save = useApiMutation(
    (body: Record<string, unknown>) =>
      entry
        ? api.patch<IpAuthDto>(`${companyPath(company.id)}/ip-auth/${encodeURIComponent(entry.id)}`, body)
        : api.post<IpAuthDto>(`${companyPath(company.id)}/ip-auth`, body),
    () => [['companies', 'detail', company.id, 'ip-auth']],
  );
  const field = errorField(save.error);
  const serverErr = (k: string) => (field === k ? errorMessage(save.error) : undefined);
  const port = /^[0-9]{1,5}$/.test(form.port.trim()) ? Number(form.port.trim()) : Number.NaN;
  const channels = parseLimit(form.channels);
  const cps = parseLimit(form.cps);
  const localErr = {
    port: port >= 1 && port <= 65535 ? undefined : 'Enter a port from 1 to 65535.',
    channels: channels === undefined ? 'Enter a whole number, or leave empty for unlimited.' : undefined,
    cps: cps === undefined ? 'Enter a whole number, or leave empty for unlimited.' : undefined,
  };
  const invalid = Object.values(localErr).some(Boolean) || !form.address.trim();
  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    save.mutate(
      {
        address: form.address.trim(),
        direction: form.direction,
        protocol: form.protocol,
        port,
        channels,
        cps,
      },
      {
        onSuccess: (r) => {
          notify({
            title: entry ? 'Address saved' : 'Address added',
            message: `${r.address} (${r.direction})`,
          });
          close();
        },
      },
    );
  };
  return (
    <AppModal opened onClose={close} title={entry ? 'Edit address' : 'Add address'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Address"
            description="An IP address (192.0.2.10, 2001:db8::10), a range (192.0.2.0/24) or, for ingress only, a host name."
            required
            data-autofocus
            autoComplete="off"
            value={form.address}
            onChange={(e) => set({ address: e.currentTarget.value })}
            error={serverErr('address')}
          />
          <Select
            label="Direction"
            data={DIRECTIONS}
            value={form.direction}
            onChange={(v) => v && set({ direction: v as Form['direction'] })}
            allowDeselect={false}
            error={serverErr('direction')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Protocol"
              data={PROTOCOLS}
              value={form.protocol}
              onChange={(v) => {
                if (!v) return;
                const protocol = v as Protocol;
                // The port follows the protocol's default unless it was changed by hand.
                set({
                  protocol,
                  ...(form.port === defaultPort(form.protocol) ? { port: defaultPort(protocol) } : {}),
                });
              }}
              allowDeselect={false}
              error={serverErr('protocol')}
            />
            <TextInput
              label="Port"
              description="5060 for UDP and TCP, 5061 for TLS."
              inputMode="numeric"
              value={form.port}
              onChange={(e) => set({ port: e.currentTarget.value })}
              error={serverErr('port') ?? (form.port ? localErr.port : undefined)}
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
          </SimpleGrid>
          <EditorActions
            error={save.error}
            fields={FIELDS}
            onCancel={close}
            submitLabel={entry ? 'Save address' : 'Add address'}
            saving={save.isPending}
            disabled={invalid}
          />
        </Stack>
      </form>
    </AppModal>
  );
}
