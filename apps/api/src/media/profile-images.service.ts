import { Injectable } from '@nestjs/common';
import type { MeView } from '@app/contracts';
import { UsersService } from '../users/users.service.js';
import { ProfileImageStore } from './profile-images.js';

type UserImageKind = 'avatars' | 'covers';

/** Avatars and covers: the media pipeline makes and stores the files, the users module keeps the key. */
@Injectable()
export class ProfileImagesService {
  constructor(
    private readonly users: UsersService,
    private readonly images: ProfileImageStore,
  ) {}

  async set(userId: string, kind: UserImageKind, path: string): Promise<MeView> {
    const key = await this.images.store(kind, path);
    try {
      const { me, previous } = await this.users.setImageKey(userId, kind, key);
      await this.images.remove(kind, previous);
      return me;
    } catch (e) {
      await this.images.remove(kind, key);
      throw e;
    }
  }

  async clear(userId: string, kind: UserImageKind): Promise<MeView> {
    const { me, previous } = await this.users.setImageKey(userId, kind, null);
    await this.images.remove(kind, previous);
    return me;
  }
}
