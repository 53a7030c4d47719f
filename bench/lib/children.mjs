// Child processes of a bench run: started with their output in a log file, stopped with SIGTERM
// then SIGKILL, and the SUT's event-loop probe asked over IPC.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';

/** Every child still running (stopped on exit and on Ctrl-C). */
export const children = new Set();

export function start(cmd, args, { cwd, env, logFile, ipc = false }) {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd, ...(ipc ? ['ipc'] : [])] });
  closeSync(fd);
  adopt(child);
  return child;
}

/** Counts a child started elsewhere among `children`. */
export function adopt(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `ms`; tells how long it took and whether it had to kill. */
export async function stop(child, ms = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return { ms: 0, killed: false };
  const t0 = Date.now();
  let killed = false;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const t = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, ms);
  await exited;
  clearTimeout(t);
  return { ms: Date.now() - t0, killed };
}

export async function waitReady(child, check, what, ms = 120_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited during start-up with code ${child.exitCode}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready in ${ms / 1000} s`);
}

/**
 * Sends `{ [tag]: true, cmd }` (or `{ cmd }` without a tag) and resolves with the child's next
 * message that `matches`, within `ms`.
 */
export function ask(child, message, matches, what, ms = 10_000) {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    const onMsg = (m) => {
      if (m && matches(m)) {
        clearTimeout(t);
        child.off('message', onMsg);
        res(m);
      }
    };
    child.on('message', onMsg);
    if (message) child.send(message);
  });
}

/** 'reset' starts the SUT's event-loop window; 'report' ends it and answers with the figures. */
export function askProbe(child, cmd) {
  if (cmd === 'reset') {
    child.send({ benchProbe: true, cmd });
    return Promise.resolve(null);
  }
  return ask(child, { benchProbe: true, cmd }, (m) => m.benchProbe === true, 'the SUT probe');
}
