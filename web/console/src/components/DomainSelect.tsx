/** Picks one of the operator's domains, or none ("any of our domains"). */
import { Select } from '@mantine/core';
import { useAllDomains } from '../hooks.ts';

export const NO_DOMAIN = '__none__';

export function DomainSelect({
  label = 'Domain',
  value,
  onChange,
  error,
  description,
  noneLabel = 'None — any of our domains',
}: {
  label?: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
  description?: string;
  noneLabel?: string;
}) {
  const domains = useAllDomains();
  const data = [
    { value: NO_DOMAIN, label: noneLabel },
    ...(domains.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.domain} (${d.brand_name})` })),
  ];
  if (value && !data.some((d) => d.value === value))
    data.push({ value, label: domains.isPending ? 'Loading…' : 'Unknown domain' });
  return (
    <Select
      label={label}
      description={description}
      data={data}
      value={value ?? NO_DOMAIN}
      onChange={(v) => onChange(!v || v === NO_DOMAIN ? null : v)}
      allowDeselect={false}
      searchable
      error={error ?? (domains.isError ? 'Could not load your domains.' : undefined)}
      nothingFoundMessage="No matching domain"
    />
  );
}

/** A lookup of domain id → host name for tables. */
export function useDomainNames(): Map<string, string> {
  const domains = useAllDomains();
  return new Map((domains.data?.items ?? []).map((d) => [d.id, d.domain]));
}
