import { ACCENT_COLOR_PATTERN, DEFAULT_ACCENT_COLOR, type AppearanceSettings } from '@app/contracts';
import { useSessionStore } from '~/stores/session';

export const DEFAULT_ACCENT: string = DEFAULT_ACCENT_COLOR;

type Look = Omit<AppearanceSettings, 'locale'>;
const DEFAULT_LOOK: Look = { theme: 'system', accentColor: DEFAULT_ACCENT, wallpaper: 'none' };

/**
 * The look in effect: the user's saved appearance, overlaid with an unsaved preview
 * (e.g. while dragging the accent colour picker).
 */
export function useAppearance() {
  const session = useSessionStore();
  const preview = useState<Partial<Look>>('appearance-preview', () => ({}));
  const look = computed<Look>(() => {
    const saved = session.me?.appearance;
    return {
      theme: preview.value.theme ?? saved?.theme ?? DEFAULT_LOOK.theme,
      accentColor: preview.value.accentColor ?? saved?.accentColor ?? DEFAULT_LOOK.accentColor,
      wallpaper: preview.value.wallpaper ?? saved?.wallpaper ?? DEFAULT_LOOK.wallpaper,
    };
  });
  const accent = computed(() =>
    ACCENT_COLOR_PATTERN.test(look.value.accentColor) ? look.value.accentColor : DEFAULT_ACCENT,
  );
  return { look, accent, preview };
}
