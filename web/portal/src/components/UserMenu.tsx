import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiFailure, api } from '../../../ui/api.ts';
import { errorMessage, keys, queryClient } from '../queries.ts';
import type { PortalMe } from '../types.ts';

/** The account disclosure in the header: who is signed in, for which company, and "Log out". */
export function UserMenu({ me }: { me: PortalMe }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const navigate = useNavigate();

  const logout = useMutation({
    mutationFn: async () => {
      try {
        await api.post<void>('/api/v1/auth/logout');
      } catch (error) {
        // Already signed out (session expired): that is what we wanted.
        if (!(error instanceof ApiFailure && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.portal });
      queryClient.setQueryData(keys.me, null);
      navigate('/login', { replace: true });
    },
  });

  useEffect(() => {
    if (!open) return;
    // Close when the pointer or the keyboard focus goes elsewhere.
    const onOutside = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onOutside);
    document.addEventListener('focusin', onOutside);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onOutside);
      document.removeEventListener('focusin', onOutside);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const label = me.user.name || me.user.email;
  return (
    <div className="portal-user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="portal-user-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="portal-avatar" aria-hidden="true">
          {initials(label)}
        </span>
        <span className="portal-user-name">{label}</span>
        <span className="portal-caret" aria-hidden="true" />
      </button>
      <div id={panelId} className="portal-user-panel" hidden={!open}>
        <p className="portal-user-email">{me.user.email}</p>
        <p className="portal-user-company">{me.company.name}</p>
        <button
          type="button"
          className="portal-button portal-button--secondary portal-logout"
          onClick={() => {
            if (!logout.isPending) logout.mutate();
          }}
          aria-disabled={logout.isPending || undefined}
        >
          {logout.isPending ? 'Logging out…' : 'Log out'}
        </button>
        <div className="portal-form-error" aria-live="assertive">
          {logout.isError ? errorMessage(logout.error, 'Could not log out. Please try again.') : null}
        </div>
      </div>
    </div>
  );
}

function initials(name: string): string {
  const source = name.includes('@') ? (name.split('@')[0] ?? '') : name;
  const parts = source
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters =
    (parts[0]?.[0] ?? '') + (parts.length > 1 && !name.includes('@') ? (parts[1]?.[0] ?? '') : '');
  return letters.toUpperCase() || '?';
}
