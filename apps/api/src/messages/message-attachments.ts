import type { EntityManager } from 'typeorm';

export interface AttachTo {
  ownerId: string;
  chatId: string;
  messageId: string;
  seq: number;
}

/**
 * What a send needs in order to carry photos and videos. Declared here and implemented by the
 * media module (provided globally under MESSAGE_ATTACHMENTS), so media depends on messages and
 * not the other way round.
 */
export interface MessageAttachments {
  /** Input check before anything is stored: more files than allowed per message is 413. */
  checkCount(mediaIds: string[]): void;
  /** Inside the send's transaction, after the message row exists: all of them, or the send fails. */
  attach(m: EntityManager, mediaIds: string[], to: AttachTo): Promise<void>;
  /** Inside a forward's transaction: the photos and videos of `fromMessageId`, on the new message too (files shared, not copied). */
  share(m: EntityManager, fromMessageId: string, to: AttachTo): Promise<void>;
}

export const MESSAGE_ATTACHMENTS = Symbol('MESSAGE_ATTACHMENTS');
