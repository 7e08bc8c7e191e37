import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** A lease owner id unique to this engine instance: "host:pid:random". */
export function makeOwnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** False only when the owner ran on this host and its process is gone; other hosts are assumed alive. */
export function isOwnerAlive(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  if (host !== os.hostname() || !pidText || !/^\d+$/.test(pidText)) return true;
  try {
    process.kill(Number(pidText), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
