import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const stateSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400), height: z.number().int().min(300), maximized: z.boolean() });

/** Where and how big the window was last time. */
export type WindowState = z.infer<typeof stateSchema>;

/** The saved window state, if it is valid and still on a connected display. */
export function loadWindowState(userDataDir: string): WindowState | null {
  try {
    const state = stateSchema.parse(JSON.parse(readFileSync(join(userDataDir, 'window-state.json'), 'utf8')));
    const visible = screen.getAllDisplays().some((display) => overlaps(display.workArea, state));
    return visible ? state : null;
  } catch {
    return null;
  }
}

/** Saves the window's bounds whenever it is closed. */
export function rememberWindowState(window: BrowserWindow, userDataDir: string): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    try {
      writeFileSync(join(userDataDir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // Losing the window position is not worth bothering the user about.
    }
  });
}

function overlaps(area: Rectangle, state: WindowState): boolean {
  return state.x < area.x + area.width && state.x + state.width > area.x && state.y < area.y + area.height && state.y + state.height > area.y;
}
