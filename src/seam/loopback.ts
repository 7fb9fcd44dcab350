const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/**
 * This machine: localhost, 127.0.0.0/8, ::1. The only hosts plain http:// may carry a key to,
 * and the ones never reached through a proxy.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost')) return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
