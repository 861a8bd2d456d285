// What every form's server action returns to `useActionState` (next-learn's shape).
export interface FormState {
  status?: 'error' | 'success';
  /** Field name -> messages, shown under each field. */
  errors?: Partial<Record<string, string[]>>;
  /** A message for the whole form (rate limit, wrong password, saved). */
  message?: string;
  /** Submitted values to put back into the fields (never passwords). */
  values?: Record<string, string>;
}

export interface StreamKeyState extends FormState {
  /** The new key, returned exactly once, right after it was created. */
  key?: string;
  last4?: string;
}

export function formString(formData: FormData, name: string, max = 5000): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}
