import { statusOfCode, type Ack } from '@app/contracts';
import { ApiRequestError } from '~/utils/api-error';

/**
 * Over the socket when it is up (the same service as REST), else over HTTP. A refusal over the
 * socket is thrown as the same error HTTP would give; a socket that does not answer falls back.
 */
export async function viaSocketOrHttp<T>(
  online: boolean,
  socketCall: () => Promise<Ack<T>>,
  httpCall: () => Promise<T>,
): Promise<T> {
  if (online) {
    const reply = await socketCall().catch(() => null);
    if (reply?.ok) return reply.data;
    if (reply && !reply.ok) throw new ApiRequestError(statusOfCode(reply.error.code), reply.error);
  }
  return httpCall();
}
