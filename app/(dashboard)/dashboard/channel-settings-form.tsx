'use client';
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { updateChannelAction } from '@/lib/actions/channel';
import type { FormState } from '@/lib/actions/form-state';
import { CHANNEL_CATEGORY_MAX, CHANNEL_DESCRIPTION_MAX, CHANNEL_TITLE_MAX } from '@/lib/validations/channel';

export function ChannelSettingsForm(props: { title: string; description: string; category: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(updateChannelAction, {});
  const values = state.values ?? props;
  return (
    <form action={action} noValidate aria-label="Channel settings">
      <FormField name="title" label="Title" required maxLength={CHANNEL_TITLE_MAX} defaultValue={values.title} errors={state.errors?.title} />
      <FormField
        name="description"
        label="Description"
        multiline
        rows={4}
        maxLength={CHANNEL_DESCRIPTION_MAX}
        hint={`Up to ${CHANNEL_DESCRIPTION_MAX} characters.`}
        defaultValue={values.description}
        errors={state.errors?.description}
      />
      <FormField
        name="category"
        label="Category (optional)"
        maxLength={CHANNEL_CATEGORY_MAX}
        hint="For example Gaming, Music, Talk."
        defaultValue={values.category}
        errors={state.errors?.category}
      />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
