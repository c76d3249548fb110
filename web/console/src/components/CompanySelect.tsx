/** A searchable company picker backed by GET /companies?type=&q= (server-side search). */
import { Select } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { CompanyType } from '../../../../common/api.ts';
import { useCompanies, useCompany, useDebounced } from '../hooks.ts';

export function CompanySelect({
  label,
  description,
  value,
  onChange,
  type,
  error,
  placeholder = 'Search by name',
}: {
  label: string;
  description?: string;
  value: string | null;
  onChange: (id: string | null) => void;
  type: CompanyType;
  error?: string;
  placeholder?: string;
}) {
  const [search, setSearch] = useState('');
  const selected = useCompany(value);
  const debounced = useDebounced(search.trim());
  // When the box just shows the selected name, list everything rather than only that name.
  const q = debounced === selected.data?.name ? '' : debounced;
  const list = useCompanies({ type, q, page: 1 });

  const data = useMemo(() => {
    const items = [...(list.data?.items ?? [])];
    if (selected.data && !items.some((c) => c.id === selected.data.id)) items.unshift(selected.data);
    return items.map((c) => ({ value: c.id, label: c.name }));
  }, [list.data, selected.data]);

  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      searchable
      clearable
      value={value}
      onChange={(v) => onChange(v)}
      searchValue={search}
      onSearchChange={setSearch}
      data={data}
      filter={({ options }) => options}
      nothingFoundMessage={list.isFetching ? 'Searching…' : `No ${type}s found`}
      error={error}
      clearButtonProps={{ 'aria-label': `Clear ${label.toLowerCase()}` }}
      maxDropdownHeight={280}
    />
  );
}
