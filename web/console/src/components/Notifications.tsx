/** A small toast system (no extra dependency): useNotify() pushes a message to a live region. */
import { Notification, Stack } from '@mantine/core';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { CheckIcon, XIcon } from './Icons.tsx';

interface Toast {
  id: number;
  title: string;
  message?: string;
  color: 'green' | 'red' | 'blue';
}

type Notify = (t: Omit<Toast, 'id' | 'color'> & { color?: Toast['color'] }) => void;

const Ctx = createContext<Notify>(() => {});

export function useNotify(): Notify {
  return useContext(Ctx);
}

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (t) => {
      const id = next.current++;
      setToasts((ts) => [...ts.slice(-3), { id, color: 'green', ...t }]);
      window.setTimeout(() => dismiss(id), t.color === 'red' ? 8000 : 4500);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <Ctx.Provider value={value}>
      {children}
      <Stack
        role="status"
        aria-live="polite"
        gap="xs"
        pos="fixed"
        top={72}
        right={16}
        w={360}
        maw="calc(100vw - 32px)"
        style={{ zIndex: 1000 }}
      >
        {toasts.map((t) => (
          <Notification
            key={t.id}
            color={t.color}
            title={t.title}
            icon={t.color === 'red' ? <XIcon size={16} /> : <CheckIcon size={16} />}
            onClose={() => dismiss(t.id)}
            closeButtonProps={{ 'aria-label': 'Dismiss notification' }}
            withBorder
            styles={{ description: { color: 'var(--mantine-color-text)' } }}
          >
            {t.message}
          </Notification>
        ))}
      </Stack>
    </Ctx.Provider>
  );
}
