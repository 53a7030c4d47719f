import { toApiRequestError, type ApiRequestError } from '~/utils/api-error';

/**
 * Busy flag, per-field errors from the API's details, a form-level error and a success note
 * for one form. `submit` runs the action and sorts out what went wrong.
 */
export function useFormState(
  options: { fields?: readonly string[]; describe?: (err: ApiRequestError) => string | null } = {},
) {
  const { t, te } = useI18n();
  const pending = ref(0);
  const busy = computed(() => pending.value > 0);
  const fieldErrors = ref<Record<string, string>>({});
  const error = ref<string | null>(null);
  const success = ref<string | null>(null);

  function reset(): void {
    fieldErrors.value = {};
    error.value = null;
    success.value = null;
  }

  function describe(err: ApiRequestError): string {
    const custom = options.describe?.(err);
    if (custom) return custom;
    const key = `errors.${err.code}`;
    return te(key) ? t(key) : err.message;
  }

  /** Runs `action`; resolves true on success. */
  async function submit(action: () => Promise<unknown>, successMessage?: string): Promise<boolean> {
    reset();
    pending.value += 1;
    try {
      await action();
      success.value = successMessage ?? null;
      return true;
    } catch (raw) {
      const err = toApiRequestError(raw);
      fieldErrors.value = err.fieldErrors();
      // Errors shown next to their fields need no form-level message; anything else does.
      const shown = options.fields ?? [];
      const allShown = err.details.length > 0 && err.details.every((d) => shown.includes(d.field));
      if (!allShown) error.value = describe(err);
      return false;
    } finally {
      pending.value -= 1;
    }
  }

  return { busy, fieldErrors, error, success, reset, submit };
}
