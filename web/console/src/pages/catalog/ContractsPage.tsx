/**
 * Contracts: list and create; a contract's page shows its immutable revisions, adds new ones and manages its
 * assignments (grace date, required, move to the latest revision).
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  Stack,
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
import { formatDateTime } from '../../format.ts';
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
  type ContractAssignmentDto,
  type ContractDto,
  useContract,
  useContractAssignments,
  useContracts,
} from './api.ts';

function NewContractModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const notify = useNotify();
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const create = useApiMutation(
    (b: { name: string; body: string }) => api.post<ContractDto>(`${CONSOLE_API}/contracts`, b),
    () => [['contracts']],
  );
  const field = errorField(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), body },
      {
        onSuccess: () => {
          notify({ title: 'Contract created', color: 'green' });
          setName('');
          setBody('');
          onClose();
        },
      },
    );
  };
  return (
    <AppModal opened={opened} onClose={onClose} title="New contract" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={field === 'name' ? errorMessage(create.error) : undefined}
          />
          <Textarea
            label="Text (revision 1)"
            description="Revisions cannot be changed later; a change is a new revision customers approve again."
            required
            autosize
            minRows={8}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={field === 'body' ? errorMessage(create.error) : undefined}
          />
          {create.isError && !field && (
            <Text c="red" size="sm" role="alert">
              {errorMessage(create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create contract
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

export function ContractsPage() {
  useTitle('Contracts');
  const { page, values, set } = useListParams(['q'] as const);
  const [search, setSearch] = useSearchBox(values.q, (q) => set({ q }));
  const list = useContracts({ q: values.q, page });
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title="Contracts"
        subtitle="Terms customers approve in the portal by typing their name. A sign-up template customer’s contracts are assigned to every new customer."
        actions={
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setAdding(true)}>
            New contract
          </Button>
        }
      />
      <Card withBorder radius="md" p="md">
        <TextInput
          mb="md"
          label="Search contracts"
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
            <Empty title="No matching contracts" description="Try another name or clear the search." />
          ) : (
            <Empty
              title="No contracts yet"
              action={<Button onClick={() => setAdding(true)}>New contract</Button>}
            />
          )
        ) : (
          <>
            <Table aria-label="Contracts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Latest revision</Table.Th>
                  <Table.Th scope="col">Assigned to</Table.Th>
                  <Table.Th scope="col">Changed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody aria-busy={list.isPlaceholderData}>
                {list.data.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/contracts/${c.id}`} className="row-link">
                        {c.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{c.latest_revision}</Table.Td>
                    <Table.Td>
                      {c.assignments} {c.assignments === 1 ? 'company' : 'companies'}
                    </Table.Td>
                    <Table.Td>{formatDateTime(c.updated_at)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Pager
              page={page}
              pageSize={list.data.page_size || PAGE_SIZE}
              total={list.data.total}
              onChange={(p) => set({ page: p })}
              noun="contracts"
            />
          </>
        )}
      </Card>
      <NewContractModal opened={adding} onClose={() => setAdding(false)} />
    </>
  );
}

function AssignContract({ contractId }: { contractId: string }) {
  const notify = useNotify();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [grace, setGrace] = useState('');
  const [required, setRequired] = useState(true);
  const assign = useApiMutation(
    (id: string) =>
      api.post(`${CONSOLE_API}/companies/${id}/contracts`, {
        contract_id: contractId,
        required,
        grace_date: grace ? new Date(`${grace}T23:59:59Z`).toISOString() : null,
      }),
    () => [['contracts']],
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!companyId) return;
        assign.mutate(companyId, {
          onSuccess: () => {
            notify({ title: 'Contract assigned', color: 'green' });
            setCompanyId(null);
          },
          onError: (err) => notify({ title: 'Not assigned', message: errorMessage(err), color: 'red' }),
        });
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <CompanySelect label="Assign to company" type="customer" value={companyId} onChange={setCompanyId} />
        <TextInput
          label="Grace date"
          description="Service usable until then"
          type="date"
          value={grace}
          onChange={(e) => setGrace(e.currentTarget.value)}
          w={180}
        />
        <Checkbox
          label="Required"
          checked={required}
          onChange={(e) => setRequired(e.currentTarget.checked)}
          mb={8}
        />
        <Button type="submit" disabled={!companyId} loading={assign.isPending}>
          Assign
        </Button>
      </Group>
    </form>
  );
}

function AssignmentRow({ a }: { a: ContractAssignmentDto }) {
  const notify = useNotify();
  const path = `${CONSOLE_API}/companies/${a.company_id}/contracts/${a.id}`;
  const move = useApiMutation(
    () => api.patch(path, { latest_revision: true }),
    () => [['contracts']],
  );
  const remove = useApiMutation(
    () => api.del(path),
    () => [['contracts']],
  );
  const onError = (e: unknown) => notify({ title: 'Not changed', message: errorMessage(e), color: 'red' });
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/companies/${a.company_id}`}>
          {a.company_name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        {a.revision}
        {a.revision !== a.latest_revision && (
          <Badge ml="xs" color="orange" variant="light">
            not latest
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{a.required ? 'Required' : 'Optional'}</Table.Td>
      <Table.Td>{a.grace_date ? formatDateTime(a.grace_date) : '—'}</Table.Td>
      <Table.Td>
        {a.approved_at ? (
          <Text size="sm">
            {formatDateTime(a.approved_at)} by {a.approved_by_name}
          </Text>
        ) : (
          <Badge color="gray" variant="light">
            Waiting
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {a.revision !== a.latest_revision && (
            <Button
              size="xs"
              variant="default"
              loading={move.isPending}
              onClick={() => move.mutate(undefined, { onError })}
            >
              Move to revision {a.latest_revision}
            </Button>
          )}
          <Button
            size="xs"
            variant="subtle"
            color="red"
            aria-label={`Remove from ${a.company_name}`}
            loading={remove.isPending}
            onClick={() => remove.mutate(undefined, { onError })}
          >
            Remove
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function ContractPage() {
  const { id = '' } = useParams();
  const contract = useContract(id);
  const assignments = useContractAssignments(id);
  const notify = useNotify();
  const [revising, setRevising] = useState(false);
  const [text, setText] = useState('');
  useTitle(contract.data?.name ?? 'Contract');
  const revise = useApiMutation(
    (body: string) => api.post(`${CONSOLE_API}/contracts/${id}/revisions`, { body }),
    () => [['contracts']],
  );
  if (contract.isPending) return <LoadingState />;
  if (contract.isError) return <ErrorState error={contract.error} onRetry={() => void contract.refetch()} />;
  const c = contract.data;
  const latest = c.revisions[0];
  return (
    <>
      <PageHeader
        title={c.name}
        subtitle={`Revision ${c.latest_revision} · ${c.assignments} ${c.assignments === 1 ? 'company' : 'companies'}`}
        actions={
          <Button
            variant="default"
            onClick={() => {
              setText(latest?.body ?? '');
              setRevising(true);
            }}
          >
            New revision
          </Button>
        }
      />
      <Stack>
        <Card withBorder radius="md" p="md">
          <Text fw={600} mb="sm" component="h2">
            Assigned to
          </Text>
          <AssignContract contractId={c.id} />
          {assignments.isPending ? (
            <TableSkeleton rows={2} />
          ) : assignments.isError ? (
            <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />
          ) : assignments.data.items.length === 0 ? (
            <Empty title="Not assigned to any company" />
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table mt="md" aria-label="Assignments">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Company</Table.Th>
                    <Table.Th scope="col">Revision</Table.Th>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">Grace date</Table.Th>
                    <Table.Th scope="col">Approved</Table.Th>
                    <Table.Th scope="col">Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {assignments.data.items.map((a) => (
                    <AssignmentRow key={a.id} a={a} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
        {c.revisions.map((r) => (
          <Card key={r.id} withBorder radius="md" p="md">
            <Text fw={600} component="h2">
              Revision {r.revision}
            </Text>
            <Text size="xs" c="dimmed" mb="sm">
              {formatDateTime(r.created_at)}
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap' }}>
              {r.body}
            </Code>
          </Card>
        ))}
      </Stack>
      <AppModal opened={revising} onClose={() => setRevising(false)} title="New revision" size="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            revise.mutate(text, {
              onSuccess: () => {
                notify({ title: 'Revision added', color: 'green' });
                setRevising(false);
              },
            });
          }}
        >
          <Stack>
            <Textarea
              label="Text"
              description="Existing assignments stay on their revision until you move them; moving asks the customer to approve again."
              autosize
              minRows={10}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={revise.isError ? errorMessage(revise.error) : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevising(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={revise.isPending}>
                Add revision {(c.latest_revision ?? 0) + 1}
              </Button>
            </Group>
          </Stack>
        </form>
      </AppModal>
    </>
  );
}
