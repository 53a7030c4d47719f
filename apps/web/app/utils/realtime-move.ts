/**
 * After the server said `server:shutdown` and closed the socket ("io server disconnect", which
 * Socket.IO never retries by itself), reconnect soon: another instance takes the connection. The
 * jitter (100–600 ms) spreads the clients of one stopping instance over a moment instead of one
 * burst. Any other disconnect is left to Socket.IO's own reconnection (null).
 */
export function moveDelayMs(reason: string, told: boolean, random = Math.random()): number | null {
  if (!told || reason !== 'io server disconnect') return null;
  return Math.round(100 + random * 500);
}
