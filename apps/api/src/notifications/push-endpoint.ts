import { BlockList, isIP } from 'node:net';

/** Addresses a push endpoint must not name: this machine and private networks (no requests into them). */
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** Whether an endpoint names a host on a public network (a name, or a public address); literal private addresses and localhost are refused. */
export function isPublicEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return false;
  const family = isIP(host);
  if (family === 0) return true;
  // IPv4 written as IPv6 (::ffff:a.b.c.d, normalised to hex groups): never a push service.
  if (family === 6 && host.startsWith('::ffff:')) return false;
  return !PRIVATE.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
