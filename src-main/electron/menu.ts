import { Menu, dialog, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** What the menu acts on, supplied by the shell. */
export interface MenuActions {
  /** The window the user is in. */
  focused(): BrowserWindow | undefined;
  /** Opens an empty window (the projects screen). */
  newWindow(): void;
  /** Shows a project: the window that has it, else the focused one opens it. */
  openProject(path: string): void;
}

/** The application menu: File (new window, open a project), Edit, View and Window roles, Help; with the platform's usual shortcuts. */
export function installApplicationMenu(actions: MenuActions): void {
  const isMac = process.platform === 'darwin';
  const openProject = async (): Promise<void> => {
    const parent = actions.focused();
    const options = { title: 'Open a project folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
    const picked = parent === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
    const path = picked.filePaths[0];
    if (picked.canceled || path === undefined) return;
    actions.openProject(path);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void openProject() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Claude Code documentation', click: () => void shell.openExternal('https://docs.anthropic.com/en/docs/claude-code') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
