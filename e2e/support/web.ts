import type { Page } from 'playwright-core';
import type { RegisterRequest } from '@app/contracts';
import { newUser } from '../../apps/api/test/support/factories.js';

export { newUser };

/** Resolves once the Nuxt app has hydrated: before that, clicks on server-rendered buttons do nothing. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const root = document.querySelector('#__nuxt') as unknown as { __vue_app__?: { config: { globalProperties: { $nuxt?: { isHydrating?: boolean } } } } } | null;
    return root?.__vue_app__?.config.globalProperties.$nuxt?.isHydrating === false;
  });
}

/** Opens a path on the site and waits until its scripts have loaded and the page is interactive. */
export async function open(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForLoadState('networkidle');
}

/** Fills and submits the registration form; resolves on the signed-in home page. */
export async function registerViaUi(page: Page, baseUrl: string, user: RegisterRequest): Promise<void> {
  await open(page, baseUrl, '/register');
  await page.fill('[data-testid=username-input]', user.username);
  await page.fill('[data-testid=email-input]', user.email);
  await page.fill('[data-testid=display-name-input]', user.displayName);
  await page.fill('[data-testid=password-input]', user.password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('[data-testid=register-submit]')]);
}

/** Signs in with a username or e-mail; resolves on the page the site sends the user to. */
export async function signInViaUi(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await open(page, baseUrl, '/login');
  await page.fill('[data-testid=login-input]', login);
  await page.fill('[data-testid=password-input]', password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('[data-testid=login-submit]')]);
}

export async function signOutViaUi(page: Page, baseUrl: string): Promise<void> {
  await Promise.all([page.waitForURL(`${baseUrl}/login`), page.click('[data-testid=sign-out]')]);
}
