import { describe, expect, it } from 'vitest';
import { gatewayCommand } from '../../scripts/run-gateway.mjs';

describe('gatewayCommand (npm start)', () => {
  it('runs dist/main.js with the memory settings, the caller flags after ours and its arguments after main', () => {
    const { args, env } = gatewayCommand(['--flag-for-main'], ['--inspect'], { PATH: '/bin' });
    expect(args[0]).toBe('--max-semi-space-size=8');
    expect(args.slice(1, 2)).toEqual(['--inspect']);
    expect(args[2]).toMatch(/dist\/main\.js$/);
    expect(args[3]).toBe('--flag-for-main');
    expect(env).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072' });
  });

  it('leaves alone what the caller set: its own environment value, a flag in NODE_OPTIONS', () => {
    const { args, env } = gatewayCommand([], [], { MALLOC_MMAP_THRESHOLD_: '1048576', NODE_OPTIONS: '--max-semi-space-size=64' });
    expect(env.MALLOC_MMAP_THRESHOLD_).toBe('1048576');
    expect(args.some((arg) => arg.startsWith('--max-semi-space-size'))).toBe(false);
  });
});
