import { Badge, Card, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { CrudTable } from '../../components/CrudTable.tsx';
import { ErrorState } from '../../components/States.tsx';
import { formatDateTime, formatMoney, isNegative, sentence } from '../../format.ts';
import { useBalance, usePayments } from '../../hooks.ts';
import type { PaymentDto, PaymentStatus } from '../../types.ts';
import { AddPaymentModal } from './AddPaymentModal.tsx';

const STATUS_COLOR: Record<PaymentStatus, string> = {
  completed: 'green',
  pending: 'orange',
  cancelled: 'gray',
};

export function PaymentsTab({ company }: { company: CompanyDto }) {
  const [page, setPage] = useState(1);
  const payments = usePayments(company.id, page);
  return (
    <Stack gap="lg">
      <BalanceCard companyId={company.id} />
      <CrudTable<PaymentDto>
        title="Payments"
        description="Completed payments count towards the balance; pending and cancelled ones do not."
        addLabel="Add payment"
        query={payments}
        tableLabel="Payments"
        minWidth={640}
        skeletonRows={4}
        paging={{ page, onChange: setPage, noun: 'payments' }}
        empty={{ title: 'No payments yet', description: 'Credit, charges and top-ups appear here.' }}
        columns={[
          { header: 'Date', cell: (p) => formatDateTime(p.created_at) },
          {
            header: 'Description',
            cell: (p) =>
              p.description || (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              ),
          },
          { header: 'Method', cell: (p) => sentence(p.method) },
          {
            header: 'Status',
            cell: (p) => (
              <Badge variant="light" color={STATUS_COLOR[p.status] ?? 'gray'}>
                {p.status}
              </Badge>
            ),
          },
          {
            header: 'Amount',
            align: 'right',
            td: (p) => ({ ff: 'monospace', c: isNegative(p.amount) ? 'red.9' : undefined }),
            cell: (p) => formatMoney(p.amount, p.currency),
          },
        ]}
        editor={(_, close) => <AddPaymentModal company={company} opened onClose={close} />}
        editRows={false}
      />
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
