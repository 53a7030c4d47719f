import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchRefused, safeFetch, type SafeFetchOptions } from './safe-fetch.js';

/** Local servers of the test's own; public-looking names are mapped onto them by an injected resolver. */
describe('safe link fetcher', () => {
  let server: Server;
  let port: number;
  const names: Record<string, string[]> = {
    'news.example.test': ['127.0.0.1'],
    'allowed.example.test': ['127.0.0.1'],
    'inner.example.test': ['10.0.0.7'],
    'mixed.example.test': ['93.184.215.14', '192.168.1.10'],
  };
  const html = '<html><head><title>Hello</title></head><body>hi</body></html>';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/page') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      else if (path === '/to-private') res.writeHead(302, { location: `http://127.0.0.1:${port}/page` }).end();
      else if (path === '/to-inner') res.writeHead(301, { location: `http://inner.example.test:${port}/page` }).end();
      else if (path === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (path === '/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      } else if (path === '/slow') setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(html), 20_000).unref();
      else res.writeHead(404).end();
    });
    server.on('connection', (socket) => socket.unref());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const options = (extra: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({
    timeoutMs: 500,
    maxBytes: 1024 * 1024,
    maxRedirects: 3,
    truncate: true,
    accept: (type) => type === 'text/html' || type === 'application/xhtml+xml',
    resolve: async (host) => (names[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    allowHosts: new Set(['allowed.example.test']),
    ...extra,
  });
  const refusal = (promise: Promise<unknown>) => promise.then(() => 'fetched', (e: unknown) => (e instanceof FetchRefused ? e.reason : `other: ${String(e)}`));

  it('refuses a public-looking name that resolves to 127.0.0.1', async () => {
    expect(await refusal(safeFetch(`http://news.example.test:${port}/page`, options()))).toBe('private-address');
  });

  it('refuses literal loopback, metadata and IPv4-mapped addresses without connecting', async () => {
    for (const url of [`http://127.0.0.1:${port}/page`, 'http://169.254.169.254/latest/meta-data/', `http://[::ffff:127.0.0.1]:${port}/page`, `http://[::1]:${port}/page`]) {
      expect(await refusal(safeFetch(url, options()))).toBe('private-address');
    }
  });

  it('refuses a name when any one of its addresses is private', async () => {
    expect(await refusal(safeFetch('http://mixed.example.test/', options()))).toBe('private-address');
  });

  it('fetches an allowed host, connecting to the address it checked', async () => {
    const fetched = await safeFetch(`http://allowed.example.test:${port}/page`, options());
    expect(fetched).toMatchObject({ contentType: 'text/html', truncated: false, url: `http://allowed.example.test:${port}/page` });
    expect(fetched.body.toString()).toBe(html);
  });

  it('refuses a redirect from an allowed server to a private address', async () => {
    expect(await refusal(safeFetch(`http://allowed.example.test:${port}/to-private`, options()))).toBe('private-address');
    expect(await refusal(safeFetch(`http://allowed.example.test:${port}/to-inner`, options()))).toBe('private-address');
  });

  it('stops after a few redirects', async () => {
    expect(await refusal(safeFetch(`http://allowed.example.test:${port}/loop`, options()))).toBe('too-many-redirects');
  });

  it('cuts an endless body at the byte limit without hanging', async () => {
    const fetched = await safeFetch(`http://allowed.example.test:${port}/endless`, options({ timeoutMs: 30_000, maxBytes: 1024 * 1024 }));
    expect(fetched.truncated).toBe(true);
    expect(fetched.body.length).toBe(1024 * 1024);
    expect(await refusal(safeFetch(`http://allowed.example.test:${port}/endless`, options({ timeoutMs: 30_000, truncate: false })))).toBe('too-large');
  });

  it('gives up on a slow response at the time limit', async () => {
    expect(await refusal(safeFetch(`http://allowed.example.test:${port}/slow`, options({ timeoutMs: 500 })))).toBe('timeout');
  });

  it('refuses a content type that is not HTML', async () => {
    expect(await refusal(safeFetch(`http://allowed.example.test:${port}/json`, options()))).toBe('content-type');
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://allowed.example.test/', `http://user:pw@allowed.example.test:${port}/page`, 'not a url']) {
      expect(await refusal(safeFetch(url, options()))).toBe('bad-url');
    }
  });
});
