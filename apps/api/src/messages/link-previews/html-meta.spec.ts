import { firstLink, normalizeUrl, parsePageMeta } from './html-meta.js';

describe('page meta', () => {
  it('prefers Open Graph, falls back to Twitter and plain tags, and keeps only text', () => {
    const html = `<html><head><title>Plain &amp; title</title>
      <meta name="description" content="plain description">
      <meta property="og:title" content="  OG <b>title</b>  ">
      <meta name="twitter:description" content="twitter description">
      <meta property="og:site_name" content="Example News">
      <meta property="og:image" content="/img/card.png"></head><body><script>alert(1)</script></body></html>`;
    expect(parsePageMeta(html, 'https://news.example.com/a/b')).toEqual({
      title: 'OG <b>title</b>',
      description: 'twitter description',
      siteName: 'Example News',
      image: 'https://news.example.com/img/card.png',
    });
    expect(parsePageMeta('<title>Only &lt;this&gt;</title>', 'https://x.test/')).toEqual({ title: 'Only <this>', description: null, siteName: null, image: null });
  });

  it('drops images that are not http(s)', () => {
    expect(parsePageMeta('<meta property="og:image" content="javascript:alert(1)">', 'https://x.test/').image).toBeNull();
    expect(parsePageMeta('<meta property="og:image" content="file:///etc/passwd">', 'https://x.test/').image).toBeNull();
  });

  it('finds the first http(s) link of a text', () => {
    expect(firstLink('see https://example.com/a?b=1, and http://other.test')).toBe('https://example.com/a?b=1');
    expect(firstLink('(https://en.wikipedia.org/wiki/Foo_(bar))')).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(firstLink('no links, ftp://x.test or javascript:alert(1)')).toBeNull();
    expect(firstLink(null)).toBeNull();
  });

  it('normalizes URLs for the cache', () => {
    expect(normalizeUrl('HTTPS://Example.COM:443/a#frag')).toBe('https://example.com/a');
  });
});
