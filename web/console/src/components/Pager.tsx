/** Page navigation under a list: "Showing 1–25 of 80" plus page buttons. */
import { Group, Pagination, Text } from '@mantine/core';

export function Pager({
  page,
  pageSize,
  total,
  onChange,
  noun = 'items',
}: {
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
  noun?: string;
}) {
  if (total === 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" mt="md" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {from > total ? `${total} ${noun}` : `Showing ${from}–${to} of ${total} ${noun}`}
      </Text>
      {pages > 1 && (
        <nav aria-label="Pagination">
          <Pagination
            total={pages}
            value={Math.min(page, pages)}
            onChange={onChange}
            size="sm"
            getControlProps={(c) => ({
              'aria-label': c === 'previous' ? 'Previous page' : c === 'next' ? 'Next page' : `${c} page`,
            })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
          />
        </nav>
      )}
    </Group>
  );
}
