// Markdown building blocks and number formatting for RESULTS.md.

export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function ms(value: number | undefined, digits = 0): string {
  if (value === Number.POSITIVE_INFINITY) return 'no answer';
  return value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(digits)} ms`;
}

export function pct(value: number | undefined, digits = 1): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(digits)} %`;
}

export function mib(bytes: number | undefined, digits = 1): string {
  return bytes === undefined || Number.isNaN(bytes) ? 'n/a' : `${(bytes / 2 ** 20).toFixed(digits)} MiB`;
}

export function verdict(ok: boolean | undefined): string {
  if (ok === undefined) return 'not measured';
  return ok ? 'met' : 'NOT met';
}

export function codeBlock(text: string, lang = ''): string {
  return `\`\`\`${lang}\n${text.trimEnd()}\n\`\`\``;
}

export function shellLine(command: string, args: readonly string[]): string {
  return [command, ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`))].join(' ');
}
