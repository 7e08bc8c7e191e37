/**
 * Which window shows which project, so a project is open in one window at most: opening it again
 * (from the menu, a notification, or a second launch with its path) brings that window forward.
 * Free of Electron so it runs under plain Node; `W` is the window type.
 */
export class ProjectWindows<W> {
  private readonly windows = new Map<number, { readonly window: W; project: string | null }>();
  private readonly order: number[] = [];

  /** A new window, showing no project yet. */
  add(id: number, window: W): void {
    this.windows.set(id, { window, project: null });
    this.touch(id);
  }

  /** A window closed. */
  remove(id: number): void {
    this.windows.delete(id);
    const index = this.order.indexOf(id);
    if (index >= 0) this.order.splice(index, 1);
  }

  /** A window was focused: it becomes the first choice for things not tied to a project. */
  touch(id: number): void {
    const index = this.order.indexOf(id);
    if (index >= 0) this.order.splice(index, 1);
    if (this.windows.has(id)) this.order.unshift(id);
  }

  /** Records the project a window now shows (null: the projects screen). */
  show(id: number, project: string | null): void {
    const entry = this.windows.get(id);
    if (entry !== undefined) entry.project = project;
  }

  /** The project a window shows. */
  projectOf(id: number): string | null {
    return this.windows.get(id)?.project ?? null;
  }

  /** The window showing a project, other than `except`. */
  showing(project: string, except?: number): { readonly id: number; readonly window: W } | undefined {
    for (const [id, entry] of this.windows) {
      if (id !== except && entry.project === project) return { id, window: entry.window };
    }
    return undefined;
  }

  /** The most recently focused window showing no project. */
  free(): { readonly id: number; readonly window: W } | undefined {
    return this.entry(this.order.find((id) => this.windows.get(id)?.project === null));
  }

  /** The most recently focused window. */
  mostRecent(): { readonly id: number; readonly window: W } | undefined {
    return this.entry(this.order[0]);
  }

  /** How many windows are open. */
  get size(): number {
    return this.windows.size;
  }

  private entry(id: number | undefined): { readonly id: number; readonly window: W } | undefined {
    const entry = id === undefined ? undefined : this.windows.get(id);
    return id === undefined || entry === undefined ? undefined : { id, window: entry.window };
  }
}
