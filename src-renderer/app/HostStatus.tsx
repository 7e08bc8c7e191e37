import { useQuery } from '@tanstack/react-query';
import { useRpc } from '../rpc/RpcContext';

/** Query keys of the app feature. */
export const appKeys = { info: ['app', 'info'] as const };

/** Shows whether the host answers, and its version and transport. */
export function HostStatus() {
  const rpc = useRpc();
  const info = useQuery({ queryKey: appKeys.info, queryFn: () => rpc.invoke('app.info', {}) });
  if (info.isPending) return <span role="status">Connecting to host…</span>;
  if (info.isError) return <span role="status" className="error">Host unreachable: {info.error.message}</span>;
  return (
    <span role="status" aria-label="Host status">
      Connected · v{info.data.version} · {info.data.transport}
    </span>
  );
}
