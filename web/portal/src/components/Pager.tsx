/** Previous / "Page n of m" / Next for a list shown a page at a time; nothing when there is one page. Pages are 1-based. */
export function Pager({
  page,
  pages,
  onPage,
  label,
}: {
  page: number;
  pages: number;
  onPage: (p: number) => void;
  label: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="portal-pager" aria-label={label}>
      <button
        type="button"
        className="portal-button portal-button--secondary"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        Previous
      </button>
      <span className="portal-pager-status">
        Page {page} of {pages}
      </span>
      <button
        type="button"
        className="portal-button portal-button--secondary"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        Next
      </button>
    </nav>
  );
}
