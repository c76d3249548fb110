/** Loading and error states shared by every page. */
import type { ReactNode } from 'react';

export function Spinner() {
  return <span className="portal-spinner" aria-hidden="true" />;
}

/** A polite status line for content that is on its way. */
export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="portal-loading" role="status">
      <Spinner />
      <span>{label}</span>
    </div>
  );
}

/** A page of its own (no shell yet): used while the session loads or when it cannot be loaded. */
export function FullPage({ children }: { children: ReactNode }) {
  return (
    <main className="portal-main portal-main--full" id="portal-main">
      {children}
    </main>
  );
}

interface ErrorPanelProps {
  title?: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** An error with a way forward. role="alert" announces it when it appears. */
export function ErrorPanel({ title, message, onRetry, retrying = false }: ErrorPanelProps) {
  return (
    <div className="portal-error" role="alert">
      {title ? <p className="portal-error-title">{title}</p> : null}
      <p className="portal-error-message">{message}</p>
      {onRetry ? (
        <button
          type="button"
          className="portal-button portal-button--secondary"
          onClick={() => {
            if (!retrying) onRetry();
          }}
          aria-disabled={retrying || undefined}
        >
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
    </div>
  );
}
