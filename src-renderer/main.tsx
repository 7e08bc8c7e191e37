import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { Unavailable } from './app/Unavailable';
import { connectToHost } from './rpc/connect';
import { RpcProvider } from './rpc/RpcContext';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false }, mutations: { retry: false } },
});
const connection = connectToHost();
const root = createRoot(document.getElementById('root') as HTMLElement);

root.render(
  <StrictMode>
    {connection.kind === 'unavailable' ? (
      <Unavailable reason={connection.reason} />
    ) : (
      <RpcProvider client={connection.client}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </RpcProvider>
    )}
  </StrictMode>,
);
