// --push N: N users without a socket, one per room (spread over the rooms), each with a session
// and a push subscription to a device of bench/push-service.mjs (core 1). Latency of a push = its
// arrival at the service − the message's messages.created_at (same clock).
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, start } from './children.mjs';
import { messagesIn } from './db.mjs';
import { newHistogram, recordMs, summarize } from './hist.mjs';

/** Sends `cmd` (if any) to the push service and resolves with its next message carrying `key`. */
function askPush(child, cmd, key, ms = 10_000) {
  return ask(child, cmd ? { cmd } : null, (m) => key in m, `the push service (${cmd ?? key})`, ms);
}
export async function startPush({ devices, caFile, logFile, cwd }) {
  const script = join(dirname(fileURLToPath(import.meta.url)), '../push-service.mjs');
  const child = start('taskset', ['-c', '1', process.execPath, script, String(devices), caFile], { cwd, env: { PATH: process.env.PATH }, logFile, ipc: true });
  const ready = await askPush(child, null, 'ready', 30_000);
  return { child, devices: ready.devices };
}
/** One push user in every (rooms / N)-th room, with one device of the push service each. */
export function makePushUsers(users, devices) {
  const chats = users.filter((u) => u.pos === 0).map((u) => u.chatId);
  return devices.map((device, i) => ({ id: randomUUID(), sessionId: randomUUID(), chatId: chats[Math.floor((i * chats.length) / devices.length)], device }));
}
/**
 * After the generator: waits (≤ --drain) until every message of the run in a push user's room has
 * reached the push service, then times the pushes of the messages created in the measured window.
 */
export async function measurePush(child, pushUsers, window, { runTag, drainMs }) {
  const perChat = new Map();
  for (const u of pushUsers) perChat.set(u.chatId, [...(perChat.get(u.chatId) ?? []), u.device.id]);
  const msgs = await messagesIn(runTag, [...perChat.keys()]);
  const expectedRun = msgs.reduce((s, m) => s + perChat.get(m.chatId).length, 0);
  const t0 = Date.now();
  while ((await askPush(child, 'count', 'count')).count < expectedRun && Date.now() - t0 < drainMs) await new Promise((r) => setTimeout(r, 250));
  const waitedMs = Date.now() - t0;
  const rep = await askPush(child, 'report', 'arrivals');
  const byKey = new Map(msgs.map((m) => [`${m.chatId}:${m.seq}`, m]));
  const deviceChat = new Map(pushUsers.map((u) => [u.device.id, u.chatId]));
  const inWindow = (m) => m.createdMs >= window.start && m.createdMs < window.end;
  const seen = new Set();
  const hist = newHistogram();
  let deliveredRun = 0;
  let delivered = 0;
  let dup = 0;
  let misrouted = 0;
  let unknown = 0;
  let negative = 0;
  for (const [device, at, chatId, seq] of rep.arrivals) {
    const m = byKey.get(`${chatId}:${seq}`);
    if (!m) unknown += 1;
    else if (deviceChat.get(device) !== chatId) misrouted += 1;
    else if (seen.has(`${device}:${chatId}:${seq}`)) dup += 1;
    else {
      seen.add(`${device}:${chatId}:${seq}`);
      deliveredRun += 1;
      if (inWindow(m)) {
        delivered += 1;
        if (at < m.createdMs) negative += 1; // clock step: recorded as 0
        recordMs(hist, Math.max(0, at - m.createdMs));
      }
    }
  }
  const expected = msgs.filter(inWindow).reduce((s, m) => s + perChat.get(m.chatId).length, 0);
  return {
    users: pushUsers.length,
    rooms: perChat.size,
    expected,
    delivered,
    missing: expected - delivered,
    latency: summarize(hist),
    run: { expected: expectedRun, delivered: deliveredRun, missing: expectedRun - deliveredRun, waitedMs },
    dup,
    misrouted,
    unknown,
    negative,
    requests: rep.requests,
    errors: rep.errors,
  };
}
