/** A company's IP authentication list: the switch addresses its calls come from or go to. */
import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { PlusIcon, SearchIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import {
  companyPath,
  errorField,
  errorMessage,
  PAGE_SIZE,
  useApiMutation,
  useSearchBox,
} from '../../hooks.ts';
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
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [search, setSearch] = useSearchBox(q, (v) => {
    setQ(v);
    setPage(1);
  });
  const list = useIpAuth(company.id, { q, page });
  const [editing, setEditing] = useState<IpAuthDto | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<IpAuthDto | null>(null);
  const items = list.data?.items ?? [];

  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4">
            IP authentication
          </Title>
          <Text size="sm" c="dimmed">
            Calls from these addresses are authenticated as {company.name}; calls to the customer go to the
            ingress ones.
          </Text>
        </div>
        <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing(null)}>
          Add address
        </Button>
      </Group>
      {(q || (list.data?.total ?? 0) > PAGE_SIZE) && (
        <TextInput
          label="Search addresses"
          type="search"
          leftSection={<SearchIcon size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          maw={360}
          mb="md"
        />
      )}
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        q ? (
          <Empty title="No matching addresses" description="Try another search." />
        ) : (
          <Empty
            title="No IP addresses yet"
            description="Add the customer's switch addresses so their calls are authenticated by IP."
            action={<Button onClick={() => setEditing(null)}>Add address</Button>}
          />
        )
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={`IP authentication of ${company.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Address</Table.Th>
                  <Table.Th scope="col">Direction</Table.Th>
                  <Table.Th scope="col">Protocol</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Port
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Channels
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    CPS
                  </Table.Th>
                  <Table.Th scope="col">
                    <span className="sr-only">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                {items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <Code>{e.address}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={e.direction === 'egress' ? 'blue' : 'grape'}>
                        {e.direction}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{e.protocol.toUpperCase()}</Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {e.port}
                    </Table.Td>
                    <Table.Td ta="right">{limitText(e.channels)}</Table.Td>
                    <Table.Td ta="right">{limitText(e.cps)}</Table.Td>
                    <Table.Td ta="right">
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(e)}
                          aria-label={`Edit ${e.address} (${e.direction})`}
                        >
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          color="red"
                          variant="outline"
                          onClick={() => setDeleting(e)}
                          aria-label={`Remove ${e.address} (${e.direction})`}
                        >
                          Remove
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
            onChange={setPage}
            noun="addresses"
          />
        </>
      )}
      {editing !== undefined && (
        <IpAuthModal
          key={editing?.id ?? 'new'}
          company={company}
          entry={editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      <ConfirmDeleteModal
        opened={deleting !== null}
        title="Remove address?"
        url={deleting ? `${companyPath(company.id)}/ip-auth/${encodeURIComponent(deleting.id)}` : null}
        invalidate={[['companies', 'detail', company.id, 'ip-auth']]}
        confirmLabel="Remove address"
        done="Address removed"
        onClose={() => setDeleting(null)}
      >
        {deleting?.direction === 'egress' ? (
          <>
            Calls from <strong>{deleting?.address}</strong> are no longer accepted as {company.name}.
          </>
        ) : (
          <>
            Calls to {company.name} are no longer sent to <strong>{deleting?.address}</strong>.
          </>
        )}
      </ConfirmDeleteModal>
    </Card>
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
          {save.isError && (!field || !FIELDS.includes(field)) && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(save.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={invalid}>
              {entry ? 'Save address' : 'Add address'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
