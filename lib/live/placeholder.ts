// The thumbnail shown when there is no frame to show (ffmpeg missing, stream just started, offline):
// a calm gradient picked from the slug, the channel's initial and a small caption (kept clear of the card's
// corner overlays). Pure text, so it
// can be served instantly and never blocks a page.

const WIDTH = 640;
const HEIGHT = 360;

/** Hue pairs that stay dark enough for white text on the dark theme. */
const PALETTES: ReadonlyArray<readonly [number, number]> = [
  [252, 200],
  [280, 330],
  [200, 160],
  [340, 20],
  [220, 260],
  [170, 210],
  [30, 350],
  [300, 250],
];

/** FNV-1a, enough to spread slugs over the palettes deterministically. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

export function placeholderSvg(params: { slug: string; title: string; live: boolean }): string {
  const h = hash(params.slug);
  const [from, to] = PALETTES[h % PALETTES.length] ?? [252, 200];
  const initial = escapeXml((params.slug[0] ?? '?').toUpperCase());
  const caption = escapeXml(params.live ? 'Live now' : 'Offline');
  const name = escapeXml(params.slug.slice(0, 40));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">
<title>${escapeXml(params.title.slice(0, 200))}</title>
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl(${from} 45% 22%)"/><stop offset="1" stop-color="hsl(${to} 55% 12%)"/>
</linearGradient></defs>
<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#g)"/>
<circle cx="${WIDTH / 2}" cy="${HEIGHT / 2 - 14}" r="64" fill="rgba(255,255,255,0.08)" stroke="rgba(255,255,255,0.18)" stroke-width="2"/>
<text x="${WIDTH / 2}" y="${HEIGHT / 2 - 14}" dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="64" font-weight="600" fill="rgba(255,255,255,0.9)">${initial}</text>
<text x="${WIDTH / 2}" y="${HEIGHT / 2 + 82}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="22" fill="rgba(255,255,255,0.7)">${name} · ${caption}</text>
</svg>
`;
}
