/**
 * Per-chat ordering on the client: apply an event only when its seq is the next one; an older or
 * equal seq is a duplicate (already applied); a jump means events were missed and must be fetched
 * (`GET /api/chats/:id/events?after=lastSeq` or the `chat:sync` socket event) before going on.
 */
export type Offer = 'apply' | 'duplicate' | 'gap';

export function offerSeq(lastSeq: number, seq: number): Offer {
  if (seq <= lastSeq) return 'duplicate';
  return seq === lastSeq + 1 ? 'apply' : 'gap';
}
