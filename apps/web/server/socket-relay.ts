import type { Peer } from 'crossws';
import { SocketBridge, socketHeaders } from './utils/socket-bridge';

/**
 * Socket.IO through the site's own origin: long-polling requests are proxied to the API and
 * websockets relayed to it, so real time works under whatever host name the site is opened by.
 */
const bridges = new Map<string, SocketBridge>();

function upstreamUrl(apiInternalUrl: string, requestUrl: string): string {
  const { pathname, search } = new URL(requestUrl);
  return `${apiInternalUrl.replace(/^http/, 'ws')}${pathname}${search}`;
}

function isEncrypted(peer: Peer): boolean {
  return peer.request.url.startsWith('https:');
}

export default defineEventHandler({
  // Awaited, not returned: see api/[...path].ts.
  async handler(event) {
    const { apiInternalUrl } = useRuntimeConfig(event);
    const headers = socketHeaders(
      { get: (name) => getRequestHeader(event, name) ?? null },
      event.node.req.socket.remoteAddress,
      getRequestProtocol(event, { xForwardedProto: false }) === 'https',
    );
    await proxyRequest(event, `${apiInternalUrl}${event.path}`, { streamRequest: true, headers });
  },
  websocket: {
    open(peer) {
      const { apiInternalUrl } = useRuntimeConfig();
      const headers = socketHeaders(peer.request.headers, peer.remoteAddress, isEncrypted(peer));
      bridges.set(peer.id, new SocketBridge(peer, upstreamUrl(apiInternalUrl, peer.request.url), headers));
    },
    message(peer, message) {
      bridges.get(peer.id)?.fromBrowser(message);
    },
    close(peer) {
      bridges.get(peer.id)?.close();
      bridges.delete(peer.id);
    },
    error(peer) {
      bridges.get(peer.id)?.close();
      bridges.delete(peer.id);
    },
  },
});
