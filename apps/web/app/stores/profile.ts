import type {
  ChangePasswordRequest,
  MeView,
  SessionView,
  UpdateAppearanceRequest,
  UpdatePrivacyRequest,
} from '@app/contracts';
import { createApiClient } from '~/composables/useApi';
import { useSessionStore } from '~/stores/session';

export type ImageSlot = 'avatar' | 'cover';

/** The signed-in user's settings: privacy, appearance, pictures, password and devices. */
export const useProfileStore = defineStore('profile', () => {
  const nuxtApp = useNuxtApp();
  const session = useSessionStore();
  const api = () => createApiClient(nuxtApp);

  const sessions = ref<SessionView[]>([]);

  async function saveMe(call: Promise<MeView>): Promise<MeView> {
    const me = await call;
    session.setMe(me);
    return me;
  }

  function updatePrivacy(req: UpdatePrivacyRequest): Promise<MeView> {
    return saveMe(api().patch<MeView>('/users/me/privacy', req));
  }

  function updateAppearance(req: UpdateAppearanceRequest): Promise<MeView> {
    return saveMe(api().patch<MeView>('/users/me/appearance', req));
  }

  function uploadImage(slot: ImageSlot, file: File): Promise<MeView> {
    const form = new FormData();
    form.append('file', file, file.name);
    return saveMe(api().put<MeView>(`/users/me/${slot}`, form));
  }

  function removeImage(slot: ImageSlot): Promise<MeView> {
    return saveMe(api().del<MeView>(`/users/me/${slot}`));
  }

  async function changePassword(req: ChangePasswordRequest): Promise<void> {
    await api().post<void>('/auth/password', req);
  }

  async function loadSessions(): Promise<SessionView[]> {
    sessions.value = await api().get<SessionView[]>('/auth/sessions');
    return sessions.value;
  }

  async function revokeSession(id: string): Promise<void> {
    await api().del<void>(`/auth/sessions/${encodeURIComponent(id)}`);
    sessions.value = sessions.value.filter((s) => s.id !== id);
  }

  async function revokeOtherSessions(): Promise<void> {
    await api().post<void>('/auth/sessions/revoke-others');
    sessions.value = sessions.value.filter((s) => s.current);
  }

  return {
    sessions,
    updatePrivacy,
    updateAppearance,
    uploadImage,
    removeImage,
    changePassword,
    loadSessions,
    revokeSession,
    revokeOtherSessions,
  };
});
