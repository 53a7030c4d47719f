import type { Page } from 'playwright-core';

/** WCAG 2 contrast of two computed `rgb(r, g, b)` colours (written here again, independently of the app). */
export function contrast(a: string, b: string): number {
  const lum = (c: string): number => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The box of an element and of the bubble it sits in, plus how many lines its text takes. */
export function layoutOf(page: Page, selector: string) {
  return page.$eval(selector, (el) => {
    const bubble = el.closest('.bubble') as HTMLElement;
    const b = bubble.getBoundingClientRect();
    const time = bubble.querySelector('time')!.getBoundingClientRect();
    const text = bubble.querySelector('[data-testid=message-text]') as HTMLElement | null;
    const lineHeight = text ? parseFloat(getComputedStyle(text).lineHeight) : 0;
    return {
      timeInside: time.left >= b.left - 0.5 && time.right <= b.right + 0.5 && time.top >= b.top - 0.5 && time.bottom <= b.bottom + 0.5,
      textLines: text ? Math.round(text.getBoundingClientRect().height / lineHeight) : 0,
      overflows: bubble.scrollWidth > bubble.clientWidth + 1,
    };
  });
}
