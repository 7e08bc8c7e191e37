import { Menu, dialog, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { EVENT_CHANNEL } from './channels';

/** The application menu: File (open a project), Edit, View and Window roles, Help; with the platform's usual shortcuts. */
export function installApplicationMenu(window: () => BrowserWindow | undefined): void {
  const isMac = process.platform === 'darwin';
  const openProject = async (): Promise<void> => {
    const target = window();
    if (target === undefined) return;
    const picked = await dialog.showOpenDialog(target, { title: 'Open a project folder', properties: ['openDirectory', 'createDirectory'] });
    const path = picked.filePaths[0];
    if (picked.canceled || path === undefined) return;
    target.webContents.send(EVENT_CHANNEL, 'ui.openProject', { path });
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
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
