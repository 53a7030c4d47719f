import type { RealtimeServerType, RealtimeSocket } from './realtime.types.js';

/** Work that must be done before a socket counts as connected, once it is authenticated. */
export type BeforeConnect = (socket: RealtimeSocket) => Promise<void>;

const hooks = new WeakMap<RealtimeServerType, BeforeConnect[]>();

/**
 * Lets a feature gateway finish its part of a connection (joining the rooms of the user's chats)
 * before the client hears "connect", so no event sent after that moment can miss the socket.
 * Kept per server, so that several API instances in one process do not share hooks.
 */
export function beforeConnect(server: RealtimeServerType, hook: BeforeConnect): void {
  hooks.set(server, [...(hooks.get(server) ?? []), hook]);
}

export async function runBeforeConnect(server: RealtimeServerType, socket: RealtimeSocket): Promise<void> {
  for (const hook of hooks.get(server) ?? []) await hook(socket);
}
