import { createTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('reports health with the database check', async () => {
  const res = await t.http.get('/api/health').expect(200);
  expect(res.body).toMatchObject({ status: 'ok', checks: { database: 'up' } });
});

it('echoes a sane request id and makes one otherwise', async () => {
  const given = await t.http.get('/api/health').set('X-Request-Id', 'client-chosen-id-1').expect(200);
  expect(given.headers['x-request-id']).toBe('client-chosen-id-1');
  const made = await t.http.get('/api/health').set('X-Request-Id', 'bad id; with spaces').expect(200);
  expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

it('serves the OpenAPI document and the docs page', async () => {
  const doc = await t.http.get('/api/openapi.json').expect(200);
  const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths);
  expect(paths).toEqual(expect.arrayContaining(['/api/auth/register', '/api/auth/login', '/api/users/me', '/api/auth/sessions']));
  const page = await t.http.get('/api/docs').expect(200);
  expect(page.text).toContain('swagger');
});

it('answers unknown routes in the error shape', async () => {
  const res = await t.http.get('/api/no-such-thing').expect(404);
  expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
});
