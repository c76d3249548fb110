import { useEffect, useRef } from 'react';
import { useBrand } from '../queries.ts';

/** True until the first page after a full load has rendered; that page keeps the browser's focus. */
let firstPage = true;

interface PageTitleProps {
  title: string;
  /** Move focus to the heading after an in-app navigation (screen readers then announce the page). */
  focus?: boolean;
}

/** The page's single h1; also sets document.title to "<title> · <brand name>". */
export function PageTitle({ title, focus = true }: PageTitleProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  const brandName = useBrand().data?.brand_name;

  useEffect(() => {
    document.title = brandName ? `${title} · ${brandName}` : title;
  }, [title, brandName]);

  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    if (focus) ref.current?.focus({ preventScroll: false });
  }, [focus]);

  return (
    <h1 ref={ref} tabIndex={-1} className="portal-page-title">
      {title}
    </h1>
  );
}
