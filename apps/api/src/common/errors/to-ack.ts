import type { Ack } from '@app/contracts';
import { toApiError } from './to-api-error.js';

/** Runs a socket handler body and always answers exactly one ack shape. */
export async function toAck<T>(work: () => Promise<T>, onUnexpected?: (e: unknown) => void): Promise<Ack<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    const mapped = toApiError(error);
    if (mapped.unexpected) onUnexpected?.(error);
    return { ok: false, error: mapped.body };
  }
}
