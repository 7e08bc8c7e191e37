import { describe, expect, it } from 'vitest';
import { shellInvocation } from '../../../src-main/agents/api-worker/run-command';

describe('shellInvocation: the shell an API worker tool command runs in', () => {
  it('is /bin/sh -c on macOS and Linux', () => {
    expect(shellInvocation('npm test', {}, 'linux')).toEqual({ file: '/bin/sh', args: ['-c', 'npm test'] });
    expect(shellInvocation('npm test', {}, 'darwin')).toEqual({ file: '/bin/sh', args: ['-c', 'npm test'] });
  });

  it('is the ComSpec interpreter on Windows, which has no /bin/sh', () => {
    expect(shellInvocation('npm test', { ComSpec: 'C:\\Windows\\System32\\cmd.exe' }, 'win32')).toEqual({ file: 'C:\\Windows\\System32\\cmd.exe', args: ['/d', '/s', '/c', 'npm test'] });
    expect(shellInvocation('dir', {}, 'win32').file).toBe('cmd.exe');
  });
});
