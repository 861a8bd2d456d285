import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { CHAT_POPOUT_PAGE_HEADER } from '@/lib/channels/chat-popout-route';
import { EMBED_PAGE_HEADER } from '@/lib/channels/embed-route';
import { SiteHeader } from './_components/site-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'OnAir', template: '%s · OnAir' },
  description: 'Self-hosted live streaming',
};

export const viewport: Viewport = {
  themeColor: '#0e0f13',
  colorScheme: 'dark',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The embeddable player (proxy.ts marks it) is the player alone: no header, so no session lookup.
  const requestHeaders = await headers();
  const embedded = requestHeaders.get(EMBED_PAGE_HEADER) === '1';
  // The chat pop-out fills an OBS dock or a small window: the chat alone.
  const popout = requestHeaders.get(CHAT_POPOUT_PAGE_HEADER) === '1';
  return (
    <html lang="en">
      <body>
        {embedded || popout ? null : <SiteHeader />}
        {children}
      </body>
    </html>
  );
}
