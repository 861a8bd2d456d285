// A channel page's <head> for link unfurls (chat apps, social sites): Open Graph and Twitter card
// tags with the live state, as Next's generateMetadata takes them. Pure: the page passes the row
// and its absolute share links (crawlers need absolute URLs).
import type { Metadata } from 'next';
import type { ChannelRow } from '../live/live-hub';
import type { ShareLinks } from './share-links';

/** Unfurls show a line or two; longer descriptions are cut at a word. */
const DESCRIPTION_MAX = 200;

export function channelMetadata(row: ChannelRow, links: Pick<ShareLinks, 'pageUrl' | 'thumbnailUrl'>): Metadata {
  const title = `${row.title} — ${row.streamer}`;
  const state = row.isLive ? `Live now: ${row.streamer} is streaming on OnAir.` : `${row.streamer} is offline.`;
  const description = shorten(row.description ? `${state} ${row.description}` : state);
  const socialTitle = row.isLive ? `🔴 LIVE · ${title}` : title;
  const image = { url: links.thumbnailUrl, alt: `${row.streamer}'s channel` };
  return {
    title,
    description,
    alternates: { canonical: links.pageUrl },
    openGraph: {
      type: row.isLive ? 'video.other' : 'website',
      siteName: 'OnAir',
      url: links.pageUrl,
      title: socialTitle,
      description,
      images: [image],
    },
    twitter: { card: 'summary_large_image', title: socialTitle, description, images: [image] },
  };
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= DESCRIPTION_MAX) return flat;
  const cut = flat.slice(0, DESCRIPTION_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > DESCRIPTION_MAX / 2 ? cut.slice(0, space) : cut}…`;
}
