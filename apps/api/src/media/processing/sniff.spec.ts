import { detect, findMarkup, structureProblem } from './sniff.js';

const pad = (head: number[] | string, length = 64): Buffer => {
  const buf = Buffer.alloc(length);
  (typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head)).copy(buf);
  return buf;
};

describe('detect (magic numbers only)', () => {
  it.each([
    ['jpeg', pad([0xff, 0xd8, 0xff, 0xe0])],
    ['png', pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['gif', pad('GIF89a')],
    ['gif', pad('GIF87a')],
    ['webp', pad('RIFF\x10\x00\x00\x00WEBPVP8 ')],
    ['mp4', pad('\x00\x00\x00\x18ftypisom')],
    ['mp4', pad('\x00\x00\x00\x18ftypmp42')],
    ['webm', pad('\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm')],
  ])('knows %s', (expected, head) => {
    expect(detect(head)).toBe(expected);
  });

  it.each([
    ['SVG', pad('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['HTML', pad('<!doctype html><html>')],
    ['QuickTime', pad('\x00\x00\x00\x14ftypqt  ')],
    ['HEIC', pad('\x00\x00\x00\x18ftypheic')],
    ['AVIF', pad('\x00\x00\x00\x1cftypavif')],
    ['Matroska', pad('\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska')],
    ['RIFF that is not WebP (WAV)', pad('RIFF\x10\x00\x00\x00WAVEfmt ')],
    ['too short', Buffer.from([0xff, 0xd8, 0xff])],
  ])('refuses %s', (_name, head) => {
    expect(detect(head)).toBeNull();
  });
});

describe('structureProblem (polyglots)', () => {
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

  it('wants a PNG to end at IEND', () => {
    expect(structureProblem('png', pad([]), Buffer.concat([Buffer.alloc(20), iend]), 100)).toBeNull();
    expect(structureProblem('png', pad([]), Buffer.concat([iend, Buffer.from('<x>')]), 100)).toBe('data after the PNG end');
  });

  it('wants a GIF to end at its trailer (zero padding allowed) and not to open a JS comment', () => {
    expect(structureProblem('gif', pad('GIF89a\x10\x00'), Buffer.from([1, 2, 0x3b]), 100)).toBeNull();
    expect(structureProblem('gif', pad('GIF89a\x10\x00'), Buffer.from([1, 0x3b, 0, 0]), 100)).toBeNull();
    expect(structureProblem('gif', pad('GIF89a\x10\x00'), Buffer.from('=alert(1)'), 100)).toBe('data after the GIF trailer');
    expect(structureProblem('gif', pad('GIF89a/*'), Buffer.from([0x3b]), 100)).toBe('a GIF that is also a script');
  });

  it('wants a WebP to be exactly as long as its RIFF header says', () => {
    const head = pad('RIFF\x5c\x00\x00\x00WEBP'); // 92 + 8 = 100 bytes
    expect(structureProblem('webp', head, Buffer.alloc(16), 100)).toBeNull();
    expect(structureProblem('webp', head, Buffer.alloc(16), 101)).toBeNull();
    expect(structureProblem('webp', head, Buffer.alloc(16), 180)).toBe('data after the WebP end');
  });

  it('lets JPEG and video trailers through (re-encoding and remuxing drop them)', () => {
    expect(structureProblem('jpeg', pad([0xff, 0xd8, 0xff]), Buffer.from('anything'), 100)).toBeNull();
    expect(structureProblem('mp4', pad('\x00\x00\x00\x18ftypisom'), Buffer.from('anything'), 100)).toBeNull();
  });
});

describe('findMarkup', () => {
  it.each(['<script>', '<SCRIPT src=x>', '<html>', '<body onload=x>', '<iframe src=x>', '<svg/onload=alert(1)>', '<!DOCTYPE html>', '<?php echo 1; ?>', 'JavaScript:alert(1)', '<meta http-equiv=refresh>'])(
    'finds %s in binary noise',
    (markup) => {
      expect(findMarkup(Buffer.concat([Buffer.from([0, 1, 2, 0x3c, 0xff]), Buffer.from(markup), Buffer.from([9, 9])]))).not.toBeNull();
    },
  );

  it('ignores XMP metadata and near misses', () => {
    const xmp = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF></rdf:RDF></x:xmpmeta>';
    expect(findMarkup(Buffer.from(xmp))).toBeNull();
    expect(findMarkup(Buffer.from('<svgz <scripted <htmlx <bodyguard'))).toBeNull();
  });
});
