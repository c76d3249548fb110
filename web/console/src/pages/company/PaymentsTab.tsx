import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
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
import { PlusIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime, formatMoney, isDecimal, isNegative, sentence } from '../../format.ts';
import {
  companyPath,
  errorField,
  errorMessage,
  PAGE_SIZE,
  useApiMutation,
  useBalance,
  usePayments,
} from '../../hooks.ts';
import type { PaymentStatus } from '../../types.ts';
import { CURRENCY_DATA } from './AddCompanyModal.tsx';

const STATUS_COLOR: Record<PaymentStatus, string> = {
  completed: 'green',
  pending: 'orange',
  cancelled: 'gray',
};
const METHODS = ['bank_transfer', 'credit', 'charge', 'stripe', 'paypal', 'voucher', 'manual'].map((m) => ({
  value: m,
  label: sentence(m),
}));

export function PaymentsTab({ company }: { company: CompanyDto }) {
  const [page, setPage] = useState(1);
  const payments = usePayments(company.id, page);
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="lg">
      <BalanceCard companyId={company.id} />
      <Card withBorder radius="md" p="lg">
        <Group justify="space-between" mb="md">
          <div>
            <Title order={2} size="h4">
              Payments
            </Title>
            <Text size="sm" c="dimmed">
              Completed payments count towards the balance; pending and cancelled ones do not.
            </Text>
          </div>
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setAdding(true)}>
            Add payment
          </Button>
        </Group>
        {payments.isPending ? (
          <TableSkeleton rows={4} />
        ) : payments.isError ? (
          <ErrorState error={payments.error} onRetry={() => void payments.refetch()} />
        ) : payments.data.items.length === 0 ? (
          <Empty title="No payments yet" description="Credit, charges and top-ups appear here." />
        ) : (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table aria-label="Payments">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Date</Table.Th>
                    <Table.Th scope="col">Description</Table.Th>
                    <Table.Th scope="col">Method</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Amount
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody style={{ opacity: payments.isPlaceholderData ? 0.6 : 1 }}>
                  {payments.data.items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>{formatDateTime(p.created_at)}</Table.Td>
                      <Table.Td>
                        {p.description || (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{sentence(p.method)}</Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={STATUS_COLOR[p.status] ?? 'gray'}
                          styles={{
                            root: {
                              color: `var(--mantine-color-${STATUS_COLOR[p.status] ?? 'gray'}-9)`,
                              textTransform: 'none',
                            },
                          }}
                        >
                          {p.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right" ff="monospace" c={isNegative(p.amount) ? 'red.9' : undefined}>
                        {formatMoney(p.amount, p.currency)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              pageSize={payments.data.page_size || PAGE_SIZE}
              total={payments.data.total}
              onChange={setPage}
              noun="payments"
            />
          </>
        )}
      </Card>
      <AddPaymentModal company={company} opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}

function BalanceCard({ companyId }: { companyId: string }) {
  const balance = useBalance(companyId);
  if (balance.isError)
    return (
      <ErrorState
        error={balance.error}
        title="Could not load the balance"
        onRetry={() => void balance.refetch()}
      />
    );
  const b = balance.data;
  const stats = [
    { label: 'Balance', value: b?.balance },
    { label: 'Debit limit', value: b?.debit_limit },
    { label: 'Available', value: b?.available },
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
      {stats.map((s) => (
        <Card key={s.label} withBorder radius="md" p="md">
          <Text size="sm" c="dimmed" fw={500}>
            {s.label}
          </Text>
          <Text
            size="xl"
            fw={700}
            ff="monospace"
            c={isNegative(s.value) ? 'red.9' : undefined}
            aria-busy={balance.isPending}
          >
            {balance.isPending ? '…' : formatMoney(s.value, b?.currency)}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function AddPaymentModal({
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
    <Modal opened={opened} onClose={close} title="Add payment" closeButtonProps={{ 'aria-label': 'Close' }}>
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
              <Text c="red.8" size="sm" role="alert">
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
    </Modal>
  );
}
