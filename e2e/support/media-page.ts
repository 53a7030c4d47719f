import type { BrowserContext, Page } from 'playwright-core';
import type { Registered } from '../../apps/api/test/support/factories.js';
import type { Stage } from './servers.js';
import { signInViaUi } from './web.js';

export async function signedIn(stage: Stage, user: Registered, opts: { width?: number; height?: number; dark?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stage.browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.dark ? 'dark' : 'light',
    hasTouch: (opts.width ?? 1280) < 500,
  });
  const page = await context.newPage();
  await signInViaUi(page, stage.site.baseUrl, user.auth.user.username, user.password);
  return { context, page };
}

export const galleryIds = (page: Page) => page.$$eval('[data-testid=gallery-item]', (els) => els.map((el) => (el as HTMLElement).dataset.mediaId));

/** Waits until every real (non-placeholder) image inside `selector` has decoded. */
export function imagesLoaded(page: Page, selector: string): Promise<unknown> {
  return page.waitForFunction((sel) => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>(`${sel} img.real`)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
}
