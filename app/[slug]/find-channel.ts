// The channel of a /<slug>/... page, looked up once per request: generateMetadata and the page
// (channel, embed, pop-out chat) share the one lookup through React's request-scoped cache.
import { cache } from 'react';
import { findChannelBySlug } from '@/lib/channels/get-channel-by-slug';
import { getDb } from '@/lib/db';

export const findChannelForRequest = cache((slug: string) => findChannelBySlug(getDb(), slug));
