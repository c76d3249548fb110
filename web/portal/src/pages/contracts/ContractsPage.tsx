/**
 * The company's contracts (GET /api/v1/portal/contracts): each one's text, grace date and approval; a contact
 * approves by typing their name and ticking "I agree".
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiFailure, api } from '../../../../ui/api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { useSession } from '../../session.ts';
import './contracts.css';

interface PortalContract {
  id: string;
  name: string;
  revision: number;
  body: string;
  required: boolean;
  grace_date: string | null;
  created_at: string;
  approved_at: string | null;
  approved_by_name: string | null;
}

const KEY = ['portal', 'contracts'] as const;
const dateTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

function graceText(iso: string | null): string | null {
  if (!iso) return null;
  const days = Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
  if (days < 0) return `Grace period ended on ${dateTime(iso)}`;
  return `Approve by ${dateTime(iso)} (${days === 1 ? '1 day' : `${days} days`} left)`;
}

function ApproveForm({ contract }: { contract: PortalContract }) {
  const me = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [agree, setAgree] = useState(false);
  const approve = useMutation({
    mutationFn: () =>
      api.post<PortalContract>(`/api/v1/portal/contracts/${contract.id}/approve`, {
        name: name.trim(),
        agree,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!approve.isPending) approve.mutate();
  };
  const error =
    approve.error instanceof ApiFailure
      ? approve.error.body.message
      : approve.isError
        ? errorMessage(approve.error, 'The approval could not be saved.')
        : null;
  const nameId = `contract-${contract.id}-name`;
  const agreeId = `contract-${contract.id}-agree`;
  return (
    <form className="portal-form portal-contract-form" onSubmit={onSubmit}>
      <div className="portal-field">
        <label className="portal-label" htmlFor={nameId}>
          Type your full name to sign
        </label>
        <input
          id={nameId}
          className="portal-input"
          autoComplete="name"
          placeholder={me.user.name}
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="portal-contract-agree">
        <input id={agreeId} type="checkbox" checked={agree} onChange={(e) => setAgree(e.target.checked)} />
        <label htmlFor={agreeId}>I agree to “{contract.name}” as shown above</label>
      </div>
      <div className="portal-form-error" aria-live="assertive" aria-atomic="true">
        {error}
      </div>
      <div>
        <button
          type="submit"
          className="portal-button portal-button--primary"
          aria-disabled={approve.isPending || undefined}
        >
          {approve.isPending ? 'Approving…' : 'Approve'}
        </button>
      </div>
    </form>
  );
}

function ContractCard({ contract }: { contract: PortalContract }) {
  const titleId = `contract-${contract.id}-title`;
  const grace = contract.approved_at ? null : graceText(contract.grace_date);
  return (
    <section
      className="portal-card portal-contract"
      aria-labelledby={titleId}
      data-approved={Boolean(contract.approved_at)}
    >
      <h2 className="portal-card-title" id={titleId}>
        {contract.name}
      </h2>
      <p className="portal-contract-meta">
        <span>Revision {contract.revision}</span>
        <span>Created on {dateTime(contract.created_at)}</span>
        {contract.required ? <span>Required</span> : <span>Optional</span>}
        {grace ? <span>{grace}</span> : null}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard */}
      <section className="portal-contract-text" aria-label={`Text of ${contract.name}`} tabIndex={0}>
        {contract.body}
      </section>
      {contract.approved_at ? (
        <p className="portal-contract-approved">
          Approved on {dateTime(contract.approved_at)} by {contract.approved_by_name}
        </p>
      ) : (
        <ApproveForm contract={contract} />
      )}
    </section>
  );
}

export default function ContractsPage() {
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<{ items: PortalContract[]; pending_required: number }>('/api/v1/portal/contracts'),
  });
  let body: ReactNode;
  if (list.data) {
    const { items, pending_required: pending } = list.data;
    body =
      items.length === 0 ? (
        <div className="portal-card portal-empty">
          <p>There are no contracts on your account.</p>
        </div>
      ) : (
        <>
          {pending > 0 ? (
            <p className="portal-notice portal-notice--warning">
              {pending === 1
                ? 'One required contract waits for your approval.'
                : `${pending} required contracts wait for your approval.`}
            </p>
          ) : null}
          <div className="portal-contracts">
            {items.map((c) => (
              <ContractCard key={c.id} contract={c} />
            ))}
          </div>
        </>
      );
  } else if (list.isError) {
    body = (
      <ErrorPanel
        message={errorMessage(list.error, 'Your contracts could not be loaded.')}
        onRetry={() => void list.refetch()}
        retrying={list.isFetching}
      />
    );
  } else {
    body = <PageLoading label="Loading contracts…" />;
  }
  return (
    <>
      <PageTitle title="Contracts" />
      {body}
    </>
  );
}
