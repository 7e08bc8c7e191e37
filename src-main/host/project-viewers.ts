/**
 * Which clients (browser tabs, app windows) show which project, so one client leaving a project
 * does not close it under another that still shows it. Clients are named by their transport
 * (a WebSocket connection, an Electron window); in-process callers have no name and are not counted.
 */
export class ProjectViewers {
  private readonly viewers = new Map<string, Set<string>>();

  /** A client now shows a project. */
  add(projectDir: string, client: string): void {
    let clients = this.viewers.get(projectDir);
    if (clients === undefined) {
      clients = new Set();
      this.viewers.set(projectDir, clients);
    }
    clients.add(client);
  }

  /** A client left a project; true when another client still shows it. */
  remove(projectDir: string, client: string): boolean {
    const clients = this.viewers.get(projectDir);
    clients?.delete(client);
    if (clients !== undefined && clients.size === 0) this.viewers.delete(projectDir);
    return this.viewers.has(projectDir);
  }

  /** A client went away (socket closed, window closed): the projects nobody shows any more. */
  removeClient(client: string): string[] {
    const released: string[] = [];
    for (const projectDir of [...this.viewers.keys()]) {
      if (this.viewers.get(projectDir)?.has(client) === true && !this.remove(projectDir, client)) released.push(projectDir);
    }
    return released;
  }
}
