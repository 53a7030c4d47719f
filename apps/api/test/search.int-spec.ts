import { randomInt } from 'node:crypto';
import type { ApiErrorBody, Page, UserView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, uniqueName, type Registered } from './support/factories.js';
import { befriend, idOf, sendRequest, setPrivacy } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A made-up word no other test uses, so each test searches its own users only. */
const word = (n = 9): string => Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('');
/** Swaps two inner letters: a typo. */
const transpose = (w: string, i = 3): string => `${w.slice(0, i)}${w[i + 1]}${w[i]}${w.slice(i + 2)}`;

async function search(viewer: Registered, q: string, extra: Record<string, string | number> = {}): Promise<Page<UserView>> {
  const res = await t.http.get('/api/users/search').query({ q, ...extra }).set(...bearer(viewer.token)).expect(200);
  return res.body as Page<UserView>;
}
const ids = async (viewer: Registered, q: string): Promise<string[]> => (await search(viewer, q, { limit: 100 })).items.map((u) => u.id);

describe('matching', () => {
  it('finds by username prefix, whatever the case', async () => {
    const w = word();
    const [viewer, target] = await Promise.all([register(t.http), register(t.http, { username: `${w}_x` })]);
    expect(await ids(viewer, w.slice(0, 4).toUpperCase())).toContain(idOf(target));
    expect((await search(viewer, w))).toMatchObject({ items: [expect.objectContaining({ id: idOf(target), username: `${w}_x`, relationship: 'none' })] });
  });

  it('finds by a display-name word prefix', async () => {
    const w = word();
    const [viewer, target] = await Promise.all([register(t.http), register(t.http, { displayName: `Zed ${w[0].toUpperCase()}${w.slice(1)}` })]);
    // Typo tolerance may add weaker look-alikes from other tests' users; the prefix match leads.
    expect((await ids(viewer, w.slice(0, 5)))[0]).toBe(idOf(target));
  });

  it("tolerates typos: 'alcie' finds alice, ranked above albert", async () => {
    const tag = word(6);
    const [viewer, alice, albert] = await Promise.all([
      register(t.http), register(t.http, { username: `alice_${tag}` }), register(t.http, { username: `albert_${tag}` }),
    ]);
    const found = await ids(viewer, 'alcie');
    expect(found).toContain(idOf(alice));
    expect(found).toContain(idOf(albert));
    expect(found.indexOf(idOf(alice))).toBeLessThan(found.indexOf(idOf(albert)));
  });

  it('tolerates a typo in a display name', async () => {
    const w = word(10);
    const [viewer, target] = await Promise.all([register(t.http), register(t.http, { displayName: `Dr ${w}` })]);
    expect(await ids(viewer, transpose(w))).toContain(idOf(target));
    expect(await ids(viewer, `${w.slice(0, 6)}q`)).toContain(idOf(target));
  });

  it('ranks an exact username, then a prefix, then a typo', async () => {
    const w = word();
    const [viewer, exact, prefix, typo] = await Promise.all([
      register(t.http), register(t.http, { username: w }), register(t.http, { username: `${w}_two` }),
      register(t.http, { username: uniqueName('t'), displayName: `Typo ${transpose(w)}` }),
    ]);
    expect((await ids(viewer, w)).slice(0, 3)).toEqual([idOf(exact), idOf(prefix), idOf(typo)]);
  });

  it('finds non-Latin names case-insensitively', async () => {
    // Cyrillic throughout: usernames may not mix alphabets.
    const tag = Array.from({ length: 5 }, () => String.fromCharCode(0x430 + randomInt(32))).join('');
    const [viewer, anna] = await Promise.all([register(t.http), register(t.http, { username: `Анна_${tag}`, displayName: `Анна Ёлкина ${tag}` })]);
    expect(await ids(viewer, `АННА_${tag.toUpperCase()}`)).toContain(idOf(anna));
    expect(await ids(viewer, 'ёлкин')).toContain(idOf(anna));
  });

  it('treats LIKE wildcards literally and never lists myself', async () => {
    const w = word();
    const me = await register(t.http, { username: `${w}_me` });
    expect((await search(me, '%')).items).toEqual([]);
    expect((await search(me, '_%_')).items).toEqual([]);
    expect(await ids(me, w)).not.toContain(idOf(me));
  });
});

describe('privacy.search per viewer', () => {
  it.each([
    ['everyone', true, true],
    ['friends', false, true],
    ['nobody', false, false],
  ] as const)('"%s": stranger finds = %s, friend finds = %s', async (audience, strangerFinds, friendFinds) => {
    const w = word();
    const [owner, stranger, friend] = await Promise.all([register(t.http, { displayName: `Hidden ${w}` }), register(t.http), register(t.http)]);
    await befriend(t.http, owner, friend);
    await setPrivacy(t.http, owner, { search: audience });
    expect((await ids(stranger, w)).includes(idOf(owner))).toBe(strangerFinds);
    expect((await ids(friend, w)).includes(idOf(owner))).toBe(friendFinds);
    expect((await ids(stranger, owner.request.username)).includes(idOf(owner))).toBe(strangerFinds);
  });

  it('shows each result as the viewer may see it, relationship included', async () => {
    const w = word();
    const [viewer, friend, asked, secret] = await Promise.all([
      register(t.http), register(t.http, { displayName: `${w} One` }), register(t.http, { displayName: `${w} Two` }), register(t.http, { displayName: `${w} Three` }),
    ]);
    await befriend(t.http, viewer, friend);
    await sendRequest(t.http, viewer, asked);
    await t.http.patch('/api/users/me').set(...bearer(secret.token)).send({ bio: 'secret bio' }).expect(200);
    await setPrivacy(t.http, secret, { profile: 'friends' });
    const byId = new Map((await search(viewer, w, { limit: 100 })).items.map((u) => [u.id, u]));
    expect(byId.get(idOf(friend))?.relationship).toBe('friends');
    expect(byId.get(idOf(asked))?.relationship).toBe('request_sent');
    expect(byId.get(idOf(secret))).toMatchObject({ relationship: 'none', bio: null });
  });
});

describe('paging', () => {
  it('walks every match once, in a stable order, without duplicates or gaps', async () => {
    const w = word();
    const [viewer, ...matches] = await Promise.all([
      register(t.http),
      ...Array.from({ length: 7 }, (_, i) => register(t.http, { displayName: i % 2 ? `${w}` : `Some ${w}${i}` })),
    ]);
    const all = await ids(viewer, w);
    expect(new Set(all)).toEqual(new Set(matches.map(idOf)));
    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page<UserView> = await search(viewer, w, cursor ? { limit: 3, cursor } : { limit: 3 });
      walked.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(walked).toEqual(all);
  });
});

describe('bad input', () => {
  it.each([
    ['no q', {}, 'q'],
    ['a blank q', { q: '   ' }, 'q'],
    ['a q over 64 characters', { q: 'a'.repeat(65) }, 'q'],
    ['a limit of 0', { q: 'abc', limit: 0 }, 'limit'],
    ['a limit over 100', { q: 'abc', limit: 101 }, 'limit'],
    ['a forged cursor', { q: 'abc', cursor: Buffer.from('[1e999,"x"]').toString('base64url') }, 'cursor'],
    ['an unknown parameter', { q: 'abc', sort: 'name' }, 'sort'],
  ])('refuses %s with 400', async (_name, query, field) => {
    const viewer = await register(t.http);
    const res = await t.http.get('/api/users/search').query(query).set(...bearer(viewer.token)).expect(400);
    expect((res.body as ApiErrorBody).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
  });

  it('refuses a repeated q and accepts 64 characters after trimming', async () => {
    const viewer = await register(t.http);
    await t.http.get('/api/users/search?q=ab&q=cd').set(...bearer(viewer.token)).expect(400);
    await t.http.get('/api/users/search').query({ q: `  ${'ab'.repeat(32)}  ` }).set(...bearer(viewer.token)).expect(200);
  });

  it('needs a signed-in caller', async () => {
    await t.http.get('/api/users/search').query({ q: 'abc' }).expect(401);
  });
});
