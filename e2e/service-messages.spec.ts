import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView, ChatView } from '@app/contracts';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

interface Person {
  auth: AuthView;
  token: string;
  name: string;
  context?: BrowserContext;
  page?: Page;
}

async function person(displayName: string, signIn = false): Promise<Person> {
  const req = newUser({ displayName });
  const res = await stage.site.api.http.post('/api/auth/register').send(req);
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  const auth = res.body as AuthView;
  const p: Person = { auth, token: auth.accessToken, name: displayName };
  if (signIn) {
    p.context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
    p.page = await p.context.newPage();
    await signInViaUi(p.page, stage.site.baseUrl, req.username, req.password);
  }
  return p;
}

const api = () => stage.site.api.http;
const auth = (p: Person): [string, string] => ['Authorization', `Bearer ${p.token}`];
const serviceLines = (page: Page) => page.locator('[data-testid=message-list] [data-testid=service-message]').allTextContents();
const previewOf = (page: Page, chatId: string) => page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"] [data-testid=chat-item-preview]`);

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  if (!ok(last)) throw new Error(`${what}: still ${JSON.stringify(last)}`);
  return last;
}

let owner: Person;
let anna: Person;
let boris: Person;
let carol: Person;

beforeAll(async () => {
  owner = await person('Olga Owner');
  anna = await person('Anna Reader', true);
  boris = await person('Boris Reader');
  carol = await person('Carol Guest');
}, 60_000);

afterAll(async () => {
  await anna?.context?.close();
});

it('shows group changes as service lines, live, in the chat list and in Russian after a reload', async () => {
  const page = anna.page!;
  const group: ChatView = await openChat(api(), owner.token, [anna.auth.user.id, boris.auth.user.id], 'Book club');
  await waitFor(() => previewOf(page, group.id).textContent(), (t) => t === 'Olga Owner created the group “Book club”', 'list preview');
  await page.click(`[data-testid=chat-item][data-chat-id="${group.id}"]`);
  await waitFor(() => serviceLines(page), (l) => l.length === 1, 'created line');

  await api().patch(`/api/chats/${group.id}`).set(...auth(owner)).send({ title: 'Readers' }).expect(200);
  await api().post(`/api/chats/${group.id}/members`).set(...auth(owner)).send({ userIds: [carol.auth.user.id] }).expect(201);
  await api().patch(`/api/chats/${group.id}/members/${anna.auth.user.id}`).set(...auth(owner)).send({ role: 'admin' }).expect(200);
  await api().delete(`/api/chats/${group.id}/members/${carol.auth.user.id}`).set(...auth(owner)).expect(204);
  await api().post(`/api/chats/${group.id}/leave`).set(...auth(boris)).expect(204);
  const expected = [
    'Olga Owner created the group “Book club”',
    'Olga Owner renamed the group to “Readers”',
    'Olga Owner added Carol Guest',
    'Olga Owner made you an admin',
    'Olga Owner removed Carol Guest',
    'Boris Reader left the group',
  ];
  await waitFor(() => serviceLines(page), (l) => l.length === expected.length, 'live service lines');
  expect(await serviceLines(page)).toEqual(expected);
  expect(await page.textContent('[data-testid=conversation-title]')).toBe('Readers');
  expect(await previewOf(page, group.id).textContent()).toBe('Boris Reader left the group');
  // Centred lines, not bubbles: none of them is a message with actions.
  const line = page.locator('[data-testid=service-message]').first();
  const box = (await line.locator('.service-text').boundingBox())!;
  const list = (await page.locator('[data-testid=message-list]').boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - (list.x + list.width / 2))).toBeLessThan(12);

  await api().patch('/api/users/me/appearance').set(...auth(anna)).send({ locale: 'ru' }).expect(200);
  await page.reload();
  await waitFor(() => serviceLines(page), (l) => l.length === expected.length, 'lines after reload');
  expect(await serviceLines(page)).toEqual([
    'Olga Owner создал(а) группу «Book club»',
    'Olga Owner переименовал(а) группу в «Readers»',
    'Olga Owner добавил(а) Carol Guest',
    'Olga Owner назначил(а) вас администратором',
    'Olga Owner удалил(а) Carol Guest',
    'Boris Reader покинул(а) группу',
  ]);
  expect(await previewOf(page, group.id).textContent()).toBe('Boris Reader покинул(а) группу');
  await api().patch('/api/users/me/appearance').set(...auth(anna)).send({ locale: 'en' }).expect(200);
});

it('groups runs of one sender, names senders in group previews and marks unread mentions with @', async () => {
  const page = anna.page!;
  await page.goto(`${stage.site.baseUrl}/`);
  const group = await openChat(api(), owner.token, [anna.auth.user.id, boris.auth.user.id], 'Runs');
  for (const text of ['one', 'two', 'three']) await sendMessage(api(), boris.token, group.id, text);
  await sendMessage(api(), owner.token, group.id, 'reply from Olga');
  await waitFor(() => previewOf(page, group.id).textContent(), (t) => t === 'Olga Owner: reply from Olga', 'sender in preview');
  expect(await page.locator(`[data-testid=chat-item][data-chat-id="${group.id}"] [data-testid=chat-item-mention]`).count()).toBe(0);

  // A mention while the chat is not open: the @ badge, and the name of a sender met live.
  const annaName = (await api().get('/api/users/me').set(...auth(anna)).expect(200)).body as { username: string };
  await sendMessage(api(), boris.token, group.id, `@${annaName.username} look`);
  const badge = page.locator(`[data-testid=chat-item][data-chat-id="${group.id}"] [data-testid=chat-item-mention]`);
  await badge.waitFor({ timeout: 15_000 });
  expect(await badge.textContent()).toBe('@');
  await waitFor(() => previewOf(page, group.id).textContent(), (t) => t === `Boris Reader: @${annaName.username} look`, 'live sender name');

  await page.click(`[data-testid=chat-item][data-chat-id="${group.id}"]`);
  await page.waitForSelector('[data-testid=message-text] >> text=three');
  const rows = await page.$$eval('[data-testid=message-list] [data-testid=message]', (els) =>
    els.map((el) => ({
      text: el.querySelector('[data-testid=message-text]')?.textContent ?? '',
      sender: el.querySelector('[data-testid=message-sender]')?.textContent ?? null,
      avatar: el.querySelector('.avatar-slot > *') !== null,
      time: getComputedStyle(el.querySelector('.meta')!).opacity === '0' ? 'hidden' : 'visible',
    })),
  );
  expect(rows.slice(0, 4)).toEqual([
    { text: 'one', sender: 'Boris Reader', avatar: false, time: 'hidden' },
    { text: 'two', sender: null, avatar: false, time: 'hidden' },
    { text: 'three', sender: null, avatar: true, time: 'visible' },
    { text: 'reply from Olga', sender: 'Olga Owner', avatar: true, time: 'visible' },
  ]);
  // Hovering a bubble shows its time.
  await page.hover('[data-testid=message] >> text=one');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid=message-list] [data-testid=message] .meta')!).opacity !== '0', undefined, { timeout: 10_000 });
  // Read: the @ badge goes.
  await badge.waitFor({ state: 'detached', timeout: 15_000 });
});
