import { createContext, useContext, type ReactNode } from 'react';
import type { RpcClient } from '../../src-shared/rpc/client';

const RpcContext = createContext<RpcClient | null>(null);

/** Makes the rpc client available to every feature. */
export function RpcProvider({ client, children }: { readonly client: RpcClient; readonly children: ReactNode }) {
  return <RpcContext.Provider value={client}>{children}</RpcContext.Provider>;
}

/** The rpc client; only valid under RpcProvider. */
export function useRpc(): RpcClient {
  const client = useContext(RpcContext);
  if (client === null) throw new Error('useRpc must be used inside <RpcProvider>');
  return client;
}
