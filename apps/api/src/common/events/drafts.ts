/** A message was stored with `clearDraft`: its sender's draft of that chat ends (the chats module clears it). */
export const DRAFT_SENT = 'draft.sent';

export interface DraftSentEvent {
  userId: string;
  chatId: string;
}
