import { originAllowed } from './realtime.auth.js';

const site = ['https://chat.example'];

describe('originAllowed', () => {
  it('allows the configured origins and requests without an Origin', () => {
    expect(originAllowed('https://chat.example', {}, site)).toBe(true);
    expect(originAllowed(undefined, { host: 'api:3001' }, site)).toBe(true);
  });

  it('allows the page of the very host the request was addressed to, as the relay names it', () => {
    expect(originAllowed('http://192.168.1.20:3000', { host: '127.0.0.1:3001', 'x-forwarded-host': '192.168.1.20:3000' }, site)).toBe(true);
    expect(originAllowed('http://localhost:3000', { host: 'localhost:3000' }, site)).toBe(true);
    expect(originAllowed('http://LOCALHOST:3000', { 'x-forwarded-host': 'LocalHost:3000, proxy.internal' }, site)).toBe(true);
  });

  it('refuses another site, whatever host the request went to', () => {
    expect(originAllowed('http://evil.example', { host: '127.0.0.1:3001', 'x-forwarded-host': 'chat.example' }, site)).toBe(false);
    expect(originAllowed('http://evil.example', { host: 'chat.example' }, site)).toBe(false);
    expect(originAllowed('http://chat.example:8080', { 'x-forwarded-host': 'chat.example' }, site)).toBe(false);
    expect(originAllowed('not a url', { host: 'not a url' }, site)).toBe(false);
    expect(originAllowed('null', { host: 'chat.example' }, site)).toBe(false);
  });
});
