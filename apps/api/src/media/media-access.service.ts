import { Injectable } from '@nestjs/common';
import type { MediaKeyView } from '@app/contracts';
import { AuthService } from '../auth/auth.service.js';
import { TokenError } from '../auth/tokens.service.js';
import { ChatAccessService } from '../chats/chat-access.service.js';
import type { AuthUser } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUuid } from '../common/pagination/cursor.js';
import type { MediaFile } from './media-file.js';
import { MediaKeys } from './media-keys.js';
import { MediaRepository } from './media.repository.js';
import { EXTENSION_OF_MIME, safeFileName } from './media-names.js';

export interface Credentials {
  /** The bearer access token, when the request had one. */
  token: string | null;
  /** The `?k=` media key, when the request had one. */
  key: string | null;
}

export interface FoundFile {
  file: MediaFile;
  filename: string;
  /** Files (documents) are only ever downloaded. */
  download: boolean;
}

const unauthenticated = (message = 'Authentication required'): DomainError => new DomainError('UNAUTHENTICATED', message);

/** Who is fetching a media file, and whether they may: the access rules of every media URL. */
@Injectable()
export class MediaAccessService {
  constructor(
    private readonly auth: AuthService,
    private readonly keys: MediaKeys,
    private readonly media: MediaRepository,
    private readonly chats: ChatAccessService,
  ) {}

  keyFor(user: AuthUser): MediaKeyView {
    return this.keys.mint(user);
  }

  /**
   * The user behind a bearer token (checked as on every route) or a media key (checked, and its
   * session must still be alive). 401 when neither proves anyone: said before any lookup, so it
   * tells nothing about the media asked for.
   */
  async viewer(credentials: Credentials): Promise<string> {
    if (credentials.token) {
      try {
        return (await this.auth.authenticate(credentials.token)).userId;
      } catch (e) {
        if (e instanceof TokenError || e instanceof DomainError) throw unauthenticated('Invalid access token');
        throw e;
      }
    }
    if (!credentials.key) throw unauthenticated();
    const holder = this.keys.verify(credentials.key);
    if (!holder || !(await this.auth.sessionActive(holder.userId, holder.sessionId))) throw unauthenticated('Invalid or expired media key');
    return holder.userId;
  }

  /**
   * The rendition if this user may see the media now: the uploader alone before it is sent;
   * afterwards the current members of its chat, unless the message was deleted. 404 otherwise,
   * exactly as for an id that never existed.
   */
  async file(userId: string, id: string, variant: string): Promise<FoundFile> {
    const media = isUuid(id) ? await this.media.find(id) : null;
    const file = media && Object.hasOwn(media.files, variant) ? media.files[variant] : null;
    if (!media || !file || media.message_deleted) throw DomainError.notFound();
    if (media.chat_id === null) {
      if (media.owner_id !== userId) throw DomainError.notFound();
    } else {
      await this.chats.requireMember(userId, media.chat_id);
    }
    if (media.kind === 'file') return { file, filename: safeFileName(media.name), download: true };
    const base = safeFileName(media.name).replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'file';
    const suffix = variant === 'original' ? '' : `-${variant}`;
    return { file, filename: `${base}${suffix}.${EXTENSION_OF_MIME[file.mime] ?? 'bin'}`, download: false };
  }
}
