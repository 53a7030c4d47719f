import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AttachTo, MessageAttachments } from '../messages/message-attachments.js';
import { MediaRepository } from './media.repository.js';

/** The messages module's MessageAttachments: the per-message limit and linking uploads to a message being sent. */
@Injectable()
export class MediaAttachmentsService implements MessageAttachments {
  constructor(
    private readonly media: MediaRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Too many files for one message is 413, like a file over its size limit (the "limits per file and per message"). */
  checkCount(mediaIds: string[]): void {
    const max = this.config.media.maxFilesPerMessage;
    if (mediaIds.length > max) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `At most ${max} files can be sent in one message`, [
        { field: 'mediaIds', code: 'too_many', message: `At most ${max} files per message` },
      ]);
    }
  }

  /** Inside the send's transaction, after the message row exists: all of them or the send fails (400). */
  async attach(m: EntityManager, mediaIds: string[], to: AttachTo): Promise<void> {
    if (mediaIds.length === 0) return;
    const taken = await this.media.attach(m, mediaIds, to);
    if (taken !== mediaIds.length) {
      throw DomainError.validation('mediaIds', 'not_found', 'Some files are missing, were uploaded by someone else, or were already sent');
    }
  }

  async share(m: EntityManager, fromMessageId: string, to: AttachTo): Promise<void> {
    await this.media.share(m, fromMessageId, to);
  }
}
