/** WCAG 2 contrast: relative luminance of sRGB colours and the ratio between two of them. */

function channel(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(Number.parseInt(hex.slice(i, i + 2), 16)));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** From 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** AA for normal text. */
export const AA_TEXT = 4.5;

/** White text on `background` when it reaches AA, else whichever of white and black reads better. */
export function textColorOn(background: string): '#ffffff' | '#000000' {
  const white = contrastRatio(background, '#ffffff');
  if (white >= AA_TEXT) return '#ffffff';
  return contrastRatio(background, '#000000') > white ? '#000000' : '#ffffff';
}
