import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { PlusIcon } from '../../components/Icons.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { formatDateTime, formatMoney, isNegative, sentence } from '../../format.ts';
import { PAGE_SIZE, useBalance, usePayments } from '../../hooks.ts';
import type { PaymentStatus } from '../../types.ts';
import { AddPaymentModal } from './AddPaymentModal.tsx';

const STATUS_COLOR: Record<PaymentStatus, string> = {
  completed: 'green',
  pending: 'orange',
  cancelled: 'gray',
};

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
                        <Badge variant="light" color={STATUS_COLOR[p.status] ?? 'gray'}>
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
