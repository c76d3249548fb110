/** A company's caller ID (CLI) rules, with a plain-English summary of what they do together. */
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  List,
  SegmentedControl,
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
import { PlusIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from '../../components/States.tsx';
import { companyPath, errorField, errorMessage, PAGE_SIZE, useApiMutation } from '../../hooks.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { type CliRuleDto, useCliRules } from './telecom.ts';

const KIND_LABEL: Record<CliRuleDto['kind'], string> = { forced: 'Forced', allow: 'Allow' };

export function CliRulesTab({ company }: { company: CompanyDto }) {
  const [page, setPage] = useState(1);
  const rules = useCliRules(company.id, page);
  const [editing, setEditing] = useState<CliRuleDto | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<CliRuleDto | null>(null);
  const items = rules.data?.items ?? [];

  return (
    <Stack gap="lg">
      {rules.data && (
        <Alert color="blue" variant="light" title="What these rules do">
          <List size="sm" spacing={4}>
            {rules.data.explanation.map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Card withBorder radius="md" p="lg">
        <Group justify="space-between" mb="md">
          <div>
            <Title order={2} size="h4">
              CLI rules
            </Title>
            <Text size="sm" c="dimmed">
              Which caller IDs {company.name} may present, and the caller ID forced on the other calls.
            </Text>
          </div>
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing(null)}>
            Add rule
          </Button>
        </Group>
        {rules.isPending ? (
          <TableSkeleton rows={3} />
        ) : rules.isError ? (
          <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
        ) : items.length === 0 ? (
          <Empty
            title="No CLI rules"
            description="Every caller ID passes unchanged. Add an allow rule to restrict caller IDs, or a forced rule to replace them."
            action={<Button onClick={() => setEditing(null)}>Add rule</Button>}
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label={`CLI rules of ${company.name}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">Caller IDs matching</Table.Th>
                    <Table.Th scope="col">Presented as</Table.Th>
                    <Table.Th scope="col">
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody style={{ opacity: rules.isPlaceholderData ? 0.6 : 1 }}>
                  {items.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        <Badge variant="light" color={r.kind === 'forced' ? 'orange' : 'teal'}>
                          {KIND_LABEL[r.kind]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Code>{r.pattern}</Code>
                      </Table.Td>
                      <Table.Td>
                        {r.kind === 'forced' ? (
                          <Code>{r.replacement}</Code>
                        ) : (
                          <Text size="sm" c="dimmed">
                            Unchanged
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setEditing(r)}
                            aria-label={`Edit ${r.kind} rule ${r.pattern}`}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            color="red"
                            variant="outline"
                            onClick={() => setDeleting(r)}
                            aria-label={`Delete ${r.kind} rule ${r.pattern}`}
                          >
                            Delete
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
              pageSize={rules.data.page_size || PAGE_SIZE}
              total={rules.data.total}
              onChange={setPage}
              noun="rules"
            />
          </>
        )}
      </Card>
      {editing !== undefined && (
        <CliRuleModal
          key={editing?.id ?? 'new'}
          company={company}
          rule={editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      <ConfirmDeleteModal
        opened={deleting !== null}
        title="Delete CLI rule?"
        url={deleting ? `${companyPath(company.id)}/cli-rules/${encodeURIComponent(deleting.id)}` : null}
        invalidate={[['companies', 'detail', company.id, 'cli-rules']]}
        confirmLabel="Delete rule"
        done="CLI rule deleted"
        onClose={() => setDeleting(null)}
      >
        The {deleting?.kind} rule for <Code>{deleting?.pattern}</Code> stops applying to {company.name}
        &rsquo;s calls at once. When no rules are left, every caller ID passes unchanged.
      </ConfirmDeleteModal>
    </Stack>
  );
}

interface Form {
  kind: CliRuleDto['kind'];
  pattern: string;
  replacement: string;
}

const FIELDS = ['kind', 'pattern', 'replacement'];

function CliRuleModal({
  company,
  rule,
  onClose,
}: {
  company: CompanyDto;
  rule: CliRuleDto | null;
  onClose: () => void;
}) {
  const notify = useNotify();
  const [form, setForm] = useState<Form>(() => ({
    kind: rule?.kind ?? 'allow',
    pattern: rule?.pattern ?? '',
    replacement: rule?.replacement ?? '',
  }));
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const save = useApiMutation(
    (body: Form) =>
      rule
        ? api.patch<CliRuleDto>(`${companyPath(company.id)}/cli-rules/${encodeURIComponent(rule.id)}`, body)
        : api.post<CliRuleDto>(`${companyPath(company.id)}/cli-rules`, body),
    () => [['companies', 'detail', company.id, 'cli-rules']],
  );
  const field = errorField(save.error);
  const serverErr = (k: string) => (field === k ? errorMessage(save.error) : undefined);
  const forced = form.kind === 'forced';
  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { kind: form.kind, pattern: form.pattern.trim(), replacement: forced ? form.replacement.trim() : '' },
      {
        onSuccess: () => {
          notify({ title: rule ? 'CLI rule saved' : 'CLI rule added' });
          close();
        },
      },
    );
  };
  return (
    <AppModal opened onClose={close} title={rule ? 'Edit CLI rule' : 'Add CLI rule'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <div>
            <Text size="sm" fw={500} id="cli-kind-label" mb={4}>
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="cli-kind-label"
              fullWidth
              value={form.kind}
              onChange={(v) => set({ kind: v as Form['kind'] })}
              data={[
                { value: 'allow', label: 'Allow' },
                { value: 'forced', label: 'Forced' },
              ]}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {forced
                ? 'Calls whose caller ID matches (and no allow rule passes) are presented with the caller ID below.'
                : 'Matching caller IDs pass unchanged; once any rule exists, calls nothing matches are rejected.'}
            </Text>
          </div>
          <TextInput
            label="Caller IDs matching"
            description="Digits with an optional trailing * (44* = starting with 44; * = any), or a regular expression starting with ^."
            required
            data-autofocus
            autoComplete="off"
            value={form.pattern}
            onChange={(e) => set({ pattern: e.currentTarget.value })}
            error={serverErr('pattern')}
          />
          {forced && (
            <TextInput
              label="Present as"
              description="The caller ID to present, with the country code, e.g. 442071234567."
              required
              inputMode="tel"
              autoComplete="off"
              value={form.replacement}
              onChange={(e) => set({ replacement: e.currentTarget.value })}
              error={serverErr('replacement')}
            />
          )}
          {save.isError && (!field || !FIELDS.includes(field)) && (
            <Text c="red.9" size="sm" role="alert">
              {errorMessage(save.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!form.pattern.trim() || (forced && !form.replacement.trim())}
            >
              {rule ? 'Save rule' : 'Add rule'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
