/**
 * Installs the offline shell (public/sw.js) in production builds, once the page has loaded.
 * Without it (private windows, blocked by policy) the app works the same, only not offline.
 */
export default defineNuxtPlugin(() => {
  if (import.meta.dev || !('serviceWorker' in navigator)) return;
  const register = (): void => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
});
