/** Stops the server at boot when runtime config is unusable, naming the variable to fix. */
function checkHttpUrl(name: string, value: unknown, problems: string[], allowEmpty = false): void {
  if (allowEmpty && value === '') return;
  if (typeof value !== 'string' || value === '') {
    problems.push(`${name} is required (an http(s) URL)`);
    return;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`${name} must use http or https, got "${url.protocol}"`);
    } else if (url.origin !== value) {
      problems.push(`${name} must be a bare origin such as ${url.origin} (no path or trailing slash), got "${value}"`);
    }
  } catch {
    problems.push(`${name} is not a valid URL: "${value}"`);
  }
}

export default defineNitroPlugin(() => {
  const config = useRuntimeConfig();
  const problems: string[] = [];
  checkHttpUrl('NUXT_API_INTERNAL_URL', config.apiInternalUrl, problems);
  // Empty means "the site's own origin" (a reverse proxy routes /socket.io to the API).
  checkHttpUrl('NUXT_PUBLIC_SOCKET_URL', config.public.socketUrl, problems, true);
  if (problems.length > 0) {
    const message = `Invalid web configuration:\n  - ${problems.join('\n  - ')}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
});
