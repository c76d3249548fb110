/** Coloured status badges that always carry readable text (colour is never the only signal). */
import { Badge } from '@mantine/core';
import type { CompanyStatus, CompanyType, DomainState } from '../../../../common/api.ts';
import { COMPANY_STATUS_COLOR, DOMAIN_STATE_COLOR, DOMAIN_STATE_LABEL, words } from '../format.ts';

export function StateBadge({ state }: { state: DomainState }) {
  const color = DOMAIN_STATE_COLOR[state] ?? 'gray';
  return (
    <Badge variant="light" color={color}>
      {DOMAIN_STATE_LABEL[state] ?? words(state)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: CompanyStatus }) {
  const color = COMPANY_STATUS_COLOR[status] ?? 'gray';
  return (
    <Badge variant="light" color={color}>
      {words(status)}
    </Badge>
  );
}

export function TypeBadge({ type }: { type: CompanyType }) {
  const color = type === 'carrier' ? 'grape' : 'cyan';
  return (
    <Badge variant="outline" color={color}>
      {type}
    </Badge>
  );
}
