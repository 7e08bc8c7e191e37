import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { isRendererPageUrl } from '../../../src-main/electron/renderer-page';

describe('isRendererPageUrl: only the app page may call the host', () => {
  it('accepts the index page however its URL escapes an unusual install path', () => {
    const distDir = '/opt/my [app] ^|% é/dist';
    const chromiumStyle = 'file:///opt/my%20[app]%20%5E%7C%25%20%C3%A9/dist/renderer/index.html';
    expect(isRendererPageUrl(pathToFileURL(`${distDir}/renderer/index.html`).href, distDir)).toBe(true);
    expect(isRendererPageUrl(chromiumStyle, distDir)).toBe(true);
    expect(isRendererPageUrl(`${chromiumStyle}#/tasks?x=1`, distDir)).toBe(true);
  });

  it('refuses other files, other schemes and malformed URLs', () => {
    const distDir = '/opt/app/dist';
    expect(isRendererPageUrl('file:///opt/app/dist/renderer/other.html', distDir)).toBe(false);
    expect(isRendererPageUrl('file:///tmp/index.html', distDir)).toBe(false);
    expect(isRendererPageUrl('https://example.com/opt/app/dist/renderer/index.html', distDir)).toBe(false);
    expect(isRendererPageUrl('not a url', distDir)).toBe(false);
  });

});
