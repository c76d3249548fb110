/**
 * A titled card with a list of records: optional search box, loading/error/empty states, the table, the pager,
 * and the add, edit and delete hookup (the dialogs themselves come from the caller).
 */
import { Button, Card, Group, Table, type TableTdProps, Text, TextInput, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { errorField, errorMessage, PAGE_SIZE, useSearchBox } from '../hooks.ts';
import { PlusIcon, SearchIcon } from './Icons.tsx';
import { Pager } from './Pager.tsx';
import { Empty, ErrorState, TableSkeleton } from './States.tsx';

export interface CrudColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  align?: 'right';
  /** Further props of the body cell (font, width, colour), or a function of the row giving them. */
  td?: TableTdProps | ((row: T) => TableTdProps);
}

/** A list answer: the items, with the paging figures when the list is paged. */
export interface CrudList<T> {
  items: T[];
  total?: number;
  page_size?: number;
}

export interface CrudTableProps<T extends { id: string }> {
  title: string;
  description: ReactNode;
  query: UseQueryResult<CrudList<T>>;
  columns: CrudColumn<T>[];
  /** The table's accessible name. */
  tableLabel: string;
  minWidth: number;
  skeletonRows?: number;
  /** The add button's text; the add button and the editor's "new" mode need it. */
  addLabel?: string;
  empty: { title: string; description: ReactNode; withAddButton?: boolean };
  /** A search box over the list: shown once the list is searched or longer than a page. */
  search?: { label: string; value: string; onChange: (q: string) => void; noMatch: string };
  /** Paging; `noun` names the items in "Showing 1–25 of 80 …". */
  paging?: { page: number; onChange: (page: number) => void; noun: string };
  /** How a row is named in its buttons' accessible names ("Edit <name>"); needed with Edit or Delete. */
  rowName?: (row: T) => string;
  /** The add/edit dialog: `row` null when adding. Rendered only while open. */
  editor?: (row: T | null, close: () => void) => ReactNode;
  /** false: rows have no Edit button (the editor only adds). */
  editRows?: boolean;
  /** The delete confirmation: `opened` false while it closes (the last row stays for its text). */
  remover?: (row: T | null, opened: boolean, close: () => void) => ReactNode;
  removeLabel?: 'Delete' | 'Remove';
  /** Buttons of a row besides Edit and Delete. */
  rowActions?: (row: T) => ReactNode;
}

/** Search text and page of a searchable, paged CrudTable; a new search goes back to page 1. */
export function useCrudParams() {
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  return {
    q,
    page,
    search: {
      value: q,
      onChange: (v: string) => {
        setQ(v);
        setPage(1);
      },
    },
    paging: { page, onChange: setPage },
  };
}

export function CrudTable<T extends { id: string }>(p: CrudTableProps<T>) {
  // undefined: editor closed; null: adding; a row: editing it.
  const [editing, setEditing] = useState<T | null | undefined>(undefined);
  const [removing, setRemoving] = useState<{ row: T; opened: boolean } | null>(null);
  const [search, setSearch] = useSearchBox(p.search?.value ?? '', (v) => p.search?.onChange(v));
  const { query } = p;
  const items = query.data?.items ?? [];
  const searched = Boolean(p.search?.value);
  const canAdd = Boolean(p.editor && p.addLabel);
  const canEdit = Boolean(p.editor) && p.editRows !== false;
  const hasActions = canEdit || Boolean(p.remover) || Boolean(p.rowActions);
  const add = () => setEditing(null);

  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4">
            {p.title}
          </Title>
          <Text size="sm" c="dimmed">
            {p.description}
          </Text>
        </div>
        {canAdd && (
          <Button leftSection={<PlusIcon size={16} />} onClick={add}>
            {p.addLabel}
          </Button>
        )}
      </Group>
      {p.search && (searched || (query.data?.total ?? 0) > PAGE_SIZE) && (
        <TextInput
          label={p.search.label}
          type="search"
          leftSection={<SearchIcon size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          maw={360}
          mb="md"
        />
      )}
      {query.isPending ? (
        <TableSkeleton rows={p.skeletonRows ?? 3} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        searched && p.search ? (
          <Empty title={p.search.noMatch} description="Try another search." />
        ) : (
          <Empty
            title={p.empty.title}
            description={p.empty.description}
            action={p.empty.withAddButton && canAdd ? <Button onClick={add}>{p.addLabel}</Button> : undefined}
          />
        )
      ) : (
        <>
          <Table.ScrollContainer minWidth={p.minWidth}>
            <Table aria-label={p.tableLabel}>
              <Table.Thead>
                <Table.Tr>
                  {p.columns.map((c) => (
                    <Table.Th key={c.header} scope="col" ta={c.align}>
                      {c.header}
                    </Table.Th>
                  ))}
                  {hasActions && (
                    <Table.Th scope="col">
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody aria-busy={query.isPlaceholderData}>
                {items.map((row) => (
                  <Table.Tr key={row.id}>
                    {p.columns.map((c) => (
                      <Table.Td
                        key={c.header}
                        ta={c.align}
                        {...(typeof c.td === 'function' ? c.td(row) : c.td)}
                      >
                        {c.cell(row)}
                      </Table.Td>
                    ))}
                    {hasActions && (
                      <Table.Td ta="right">
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {p.rowActions?.(row)}
                          {canEdit && (
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => setEditing(row)}
                              aria-label={`Edit ${p.rowName?.(row) ?? row.id}`}
                            >
                              Edit
                            </Button>
                          )}
                          {p.remover && (
                            <Button
                              size="xs"
                              color="red"
                              variant="outline"
                              onClick={() => setRemoving({ row, opened: true })}
                              aria-label={`${p.removeLabel ?? 'Delete'} ${p.rowName?.(row) ?? row.id}`}
                            >
                              {p.removeLabel ?? 'Delete'}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {p.paging && query.data && (
            <Pager
              page={p.paging.page}
              pageSize={query.data.page_size || PAGE_SIZE}
              total={query.data.total ?? items.length}
              onChange={p.paging.onChange}
              noun={p.paging.noun}
            />
          )}
        </>
      )}
      {editing !== undefined && p.editor?.(editing, () => setEditing(undefined))}
      {p.remover?.(removing?.row ?? null, Boolean(removing?.opened), () =>
        setRemoving((r) => (r ? { ...r, opened: false } : null)),
      )}
    </Card>
  );
}

/** "Unlimited" (dimmed) for a null limit, else the number with its unit. */
export function LimitCell({
  value,
  unit = '',
  none = 'Unlimited',
}: {
  value: number | null;
  unit?: string;
  none?: string;
}) {
  if (value === null)
    return (
      <Text size="sm" c="dimmed" component="span">
        {none}
      </Text>
    );
  return (
    <>
      {value.toLocaleString()}
      {unit}
    </>
  );
}

/**
 * The end of a CrudTable editor's form: the save error when no field shows it, then Cancel and the submit button.
 */
export function EditorActions({
  error,
  fields,
  onCancel,
  submitLabel,
  saving,
  disabled,
}: {
  /** The save mutation's error, if any. */
  error: unknown;
  /** Fields that show their own error next to them. */
  fields: readonly string[];
  onCancel: () => void;
  submitLabel: string;
  saving: boolean;
  disabled: boolean;
}) {
  const field = errorField(error);
  return (
    <>
      {error != null && (!field || !fields.includes(field)) && (
        <Text c="red.9" size="sm" role="alert">
          {errorMessage(error)}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={saving} disabled={disabled}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
