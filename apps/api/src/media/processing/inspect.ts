import { open } from 'node:fs/promises';
import { DomainError } from '../../common/errors/domain-error.js';
import { detect, findMarkup, SCAN_BYTES, structureProblem, type Container } from './sniff.js';

export const unsupported = (message = 'Upload a JPEG, PNG, WebP or GIF image, or an MP4 or WebM video'): DomainError =>
  new DomainError('UNSUPPORTED_MEDIA_TYPE', message);

/**
 * The first gate, before any decoder runs: the magic number names one accepted container, the
 * container ends where its format says it ends, and neither end of the file holds markup. Reads at
 * most 128 KiB however large the file is.
 */
export async function inspect(path: string): Promise<Container> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const headLength = Math.min(size, SCAN_BYTES);
    const head = Buffer.alloc(headLength);
    await file.read(head, 0, headLength, 0);
    const tailLength = Math.min(size, SCAN_BYTES);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    const container = detect(head);
    if (!container) throw unsupported();
    if (findMarkup(head) ?? findMarkup(tail)) throw unsupported('The file carries markup or script: refused as a polyglot');
    const problem = structureProblem(container, head, tail, size);
    if (problem) throw unsupported(`Refused as a polyglot: ${problem}`);
    return container;
  } finally {
    await file.close();
  }
}
