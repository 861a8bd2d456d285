'use client';
// One form per row: hidden ids plus one submit button per operation (`name="op"`), and the
// action's message announced next to them.
import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-field';
import type { FormState } from '@/lib/actions/form-state';

export interface Operation {
  op: string;
  label: string;
  danger?: boolean;
}

export function OperationButtons(props: {
  label: string;
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  operations: Operation[];
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(props.action, {});
  return (
    <form action={action} aria-label={props.label} className="row-actions">
      {Object.entries(props.hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.operations.map((operation) => (
        <button
          key={operation.op}
          type="submit"
          name="op"
          value={operation.op}
          className={`button button-small ${operation.danger ? 'button-danger' : 'button-ghost'}`}
          disabled={pending}
        >
          {operation.label}
        </button>
      ))}
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}
