/** The signed-in contact, provided by SessionGate to everything inside the shell. */
import { createContext, useContext } from 'react';
import type { PortalMe } from './types.ts';

export const SessionContext = createContext<PortalMe | null>(null);

export function useSession(): PortalMe {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession() used outside the signed-in shell');
  return me;
}

export function hasFeature(me: PortalMe, feature: string): boolean {
  return me.features.includes(feature);
}
