/** A company's caller ID (CLI) rules, with a plain-English summary of what they do together. */
import { Alert, Badge, Code, List, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { CompanyDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { AppModal } from '../../components/AppModal.tsx';
import { CrudTable, EditorActions } from '../../components/CrudTable.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { companyPath, errorField, errorMessage, useApiMutation } from '../../hooks.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { type CliRuleDto, useCliRules } from './telecom.ts';

const KIND_LABEL: Record<CliRuleDto['kind'], string> = { forced: 'Forced', allow: 'Allow' };

export function CliRulesTab({ company }: { company: CompanyDto }) {
  const [page, setPage] = useState(1);
  const rules = useCliRules(company.id, page);

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
      <CrudTable<CliRuleDto>
        title="CLI rules"
        description={
          <>Which caller IDs {company.name} may present, and the caller ID forced on the other calls.</>
        }
        addLabel="Add rule"
        query={rules}
        tableLabel={`CLI rules of ${company.name}`}
        minWidth={560}
        paging={{ page, onChange: setPage, noun: 'rules' }}
        empty={{
          title: 'No CLI rules',
          description:
            'Every caller ID passes unchanged. Add an allow rule to restrict caller IDs, or a forced rule to replace them.',
          withAddButton: true,
        }}
        columns={[
          {
            header: 'Kind',
            cell: (r) => (
              <Badge variant="light" color={r.kind === 'forced' ? 'orange' : 'teal'}>
                {KIND_LABEL[r.kind]}
              </Badge>
            ),
          },
          { header: 'Caller IDs matching', cell: (r) => <Code>{r.pattern}</Code> },
          {
            header: 'Presented as',
            cell: (r) =>
              r.kind === 'forced' ? (
                <Code>{r.replacement}</Code>
              ) : (
                <Text size="sm" c="dimmed">
                  Unchanged
                </Text>
              ),
          },
        ]}
        rowName={(r) => `${r.kind} rule ${r.pattern}`}
        editor={(rule, close) => (
          <CliRuleModal key={rule?.id ?? 'new'} company={company} rule={rule} onClose={close} />
        )}
        remover={(rule, opened, close) => (
          <ConfirmDeleteModal
            opened={opened}
            title="Delete CLI rule?"
            url={rule ? `${companyPath(company.id)}/cli-rules/${encodeURIComponent(rule.id)}` : null}
            invalidate={[['companies', 'detail', company.id, 'cli-rules']]}
            confirmLabel="Delete rule"
            done="CLI rule deleted"
            onClose={close}
          >
            The {rule?.kind} rule for <Code>{rule?.pattern}</Code> stops applying to {company.name}
            &rsquo;s calls at once. When no rules are left, every caller ID passes unchanged.
          </ConfirmDeleteModal>
        )}
      />
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
          <EditorActions
            error={save.error}
            fields={FIELDS}
            onCancel={close}
            submitLabel={rule ? 'Save rule' : 'Add rule'}
            saving={save.isPending}
            disabled={!form.pattern.trim() || (forced && !form.replacement.trim())}
          />
        </Stack>
      </form>
    </AppModal>
  );
}
