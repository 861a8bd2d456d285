// A labelled input with its errors wired up for assistive technology: aria-invalid plus
// aria-describedby pointing at the hint and the error list.
import type { InputHTMLAttributes } from 'react';

export interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement | HTMLTextAreaElement>, 'id' | 'name'> {
  name: string;
  label: string;
  errors?: string[] | undefined;
  hint?: string;
  multiline?: boolean;
  rows?: number;
}

export function FormField({ name, label, errors, hint, multiline = false, rows = 4, ...inputProps }: FormFieldProps) {
  const id = `field-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const shared = {
    id,
    name,
    'aria-invalid': errorId ? true : undefined,
    'aria-describedby': describedBy,
    className: 'input',
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...shared} rows={rows} {...inputProps} /> : <input {...shared} {...inputProps} />}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <ul id={errorId} className="field-error" role="alert">
          {errors?.map((error) => <li key={error}>{error}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

/** The form-level message (rate limit, wrong password, saved), announced politely. */
export function FormMessage({ status, message }: { status?: 'error' | 'success' | undefined; message?: string | undefined }) {
  return (
    <p className={`form-message ${status === 'error' ? 'is-error' : 'is-success'}`} role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}
