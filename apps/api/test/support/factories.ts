import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import { REFRESH_COOKIE, type AuthView, type RegisterRequest } from '@app/contracts';

let counter = 0;

/** A username unique across the whole run (test files share one database). */
export function uniqueName(prefix = 'u'): string {
  counter += 1;
  return `${prefix}_${randomBytes(4).toString('hex')}${counter}`;
}

export interface Registered {
  auth: AuthView;
  token: string;
  /** The refresh cookie pair, e.g. "msg_refresh=…". */
  cookie: string;
  password: string;
  request: RegisterRequest;
}

export function refreshCookieOf(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = list.find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  if (!found) throw new Error('no refresh cookie in the response');
  return found.split(';')[0];
}

export function newUser(overrides: Partial<RegisterRequest> = {}): RegisterRequest {
  const username = overrides.username ?? uniqueName();
  return {
    username,
    email: overrides.email ?? `${username}@example.test`,
    displayName: overrides.displayName ?? `User ${username}`,
    password: overrides.password ?? 'a long enough password 42',
    ...(overrides.locale ? { locale: overrides.locale } : {}),
  };
}

export async function register(http: TestAgent, overrides: Partial<RegisterRequest> = {}): Promise<Registered> {
  const request = newUser(overrides);
  const res = await http.post('/api/auth/register').send(request);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const auth = res.body as AuthView;
  return { auth, token: auth.accessToken, cookie: refreshCookieOf(res.headers['set-cookie']), password: request.password, request };
}

/** `n` fresh users, registered at once. */
export function registerMany(http: TestAgent, n: number): Promise<Registered[]> {
  return Promise.all(Array.from({ length: n }, () => register(http)));
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
