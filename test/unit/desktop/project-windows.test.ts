import { describe, expect, it } from 'vitest';
import { projectPathFromArgv } from '../../../src-main/electron/launch-args';
import { ProjectWindows } from '../../../src-main/electron/project-windows';

describe('ProjectWindows: one window per project', () => {
  it('finds the window showing a project, but not the one asking', () => {
    const windows = new ProjectWindows<string>();
    windows.add(1, 'first');
    windows.add(2, 'second');
    windows.show(1, '/work/shop');
    expect(windows.showing('/work/shop')).toEqual({ id: 1, window: 'first' });
    expect(windows.showing('/work/shop', 1)).toBeUndefined();
    expect(windows.showing('/work/blog')).toBeUndefined();
    windows.show(1, null); // Switch project: back to the projects screen
    expect(windows.showing('/work/shop')).toBeUndefined();
  });

  it('prefers the most recently focused free window, and forgets closed ones', () => {
    const windows = new ProjectWindows<string>();
    windows.add(1, 'first');
    windows.add(2, 'second');
    windows.add(3, 'third');
    windows.show(3, '/work/shop');
    windows.touch(1);
    expect(windows.free()?.id).toBe(1);
    expect(windows.mostRecent()?.id).toBe(1);
    windows.touch(3);
    expect(windows.free()?.id).toBe(1);
    expect(windows.mostRecent()?.id).toBe(3);
    windows.remove(1);
    expect(windows.free()?.id).toBe(2);
    windows.show(2, '/work/blog');
    expect(windows.free()).toBeUndefined();
    expect(windows.projectOf(2)).toBe('/work/blog');
    windows.remove(3);
    windows.remove(2);
    expect(windows.size).toBe(0);
    expect(windows.mostRecent()).toBeUndefined();
  });
});

describe('projectPathFromArgv: a project named at launch', () => {
  it('takes the last non-switch argument after the app (packaged) or other than the app path (development)', () => {
    expect(projectPathFromArgv(['/opt/Claude Orchestrator/claude-orchestrator', '/work/shop'], '/home/me', null)).toBe('/work/shop');
    expect(projectPathFromArgv(['/usr/bin/electron', 'dist/main/electron-main.mjs', 'shop'], '/work/app', '/work/app')).toBe('/work/app/shop');
    expect(projectPathFromArgv(['/usr/bin/electron', '.', '../shop'], '/work/app', '/work/app')).toBe('/work/shop');
    expect(projectPathFromArgv(['/opt/app', '--no-sandbox', '--enable-features=X'], '/work', null)).toBeNull();
    expect(projectPathFromArgv(['/usr/bin/electron', 'dist/main/electron-main.mjs'], '/work/app', '/work/app')).toBeNull();
  });

  it('does not take the app path for a project when a test driver puts its flags first', () => {
    // Playwright's _electron.launch: electron --inspect=0 --remote-debugging-port=0 <app> <args>
    expect(projectPathFromArgv(['/usr/bin/electron', '--inspect=0', '--remote-debugging-port=0', '/work/app', '--no-sandbox'], '/tmp', '/work/app')).toBeNull();
    expect(projectPathFromArgv(['/usr/bin/electron', '--inspect=0', '/work/app', '/work/shop'], '/tmp', '/work/app')).toBe('/work/shop');
  });
});
