import { describe, expect, it } from '@jest/globals';
import { addScriptNonce, contentSecurityPolicy, pageSecurityHeaders } from './security-headers';

const connectSrc = (csp: string): string[] => (/connect-src ([^;]*)/.exec(csp)?.[1] ?? '').split(' ');

describe('page security headers', () => {
  it('lets the socket reach the site itself over ws and wss when it is same-origin', () => {
    const csp = contentSecurityPolicy({ requestOrigin: 'https://chat.example', socketUrl: '', nonce: 'n1' });
    expect(connectSrc(csp)).toEqual(["'self'", 'ws://chat.example', 'wss://chat.example']);
    expect(csp).toContain("script-src 'self' 'nonce-n1'");
  });

  it('adds the configured Socket.IO origin with its websocket scheme', () => {
    expect(connectSrc(contentSecurityPolicy({ requestOrigin: 'https://chat.example', socketUrl: 'https://rt.example:8443', nonce: 'n' })))
      .toEqual(expect.arrayContaining(['https://rt.example:8443', 'wss://rt.example:8443']));
    expect(connectSrc(contentSecurityPolicy({ requestOrigin: 'http://localhost:3000', socketUrl: 'http://localhost:3001', nonce: 'n' })))
      .toEqual(expect.arrayContaining(['http://localhost:3001', 'ws://localhost:3001']));
  });

  it('sends no referrer from the reset-password page only', () => {
    const base = { requestOrigin: 'http://x.test', socketUrl: '', nonce: 'n' };
    expect(pageSecurityHeaders({ ...base, path: '/reset-password?token=abc' })['referrer-policy']).toBe('no-referrer');
    expect(pageSecurityHeaders({ ...base, path: '/reset-passwords' })['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(pageSecurityHeaders({ ...base, path: '/' })).toMatchObject({ vary: 'Cookie', 'x-content-type-options': 'nosniff' });
  });

  it('gives every script tag the nonce once', () => {
    expect(addScriptNonce(['<script type="importmap">{}</script><script nonce="k">x</script><scripts>'], 'N')).toEqual([
      '<script nonce="N" type="importmap">{}</script><script nonce="k">x</script><scripts>',
    ]);
  });
});
