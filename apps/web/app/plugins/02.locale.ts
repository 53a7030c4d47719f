import { LOCALES, type Locale } from '@app/contracts';
import { useSessionStore } from '~/stores/session';

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** The signed-in user's language wins over the cookie and the browser's preference. */
export default defineNuxtPlugin({
  name: 'user-locale',
  dependsOn: ['session-ssr'],
  async setup(nuxtApp) {
    const session = useSessionStore();
    const i18n = nuxtApp.$i18n;
    const apply = async (locale: string | undefined): Promise<void> => {
      if (locale && isLocale(locale) && locale !== i18n.locale.value) await i18n.setLocale(locale);
    };
    await apply(session.me?.appearance.locale);
    if (import.meta.client) watch(() => session.me?.appearance.locale, (l) => void apply(l));
  },
});
