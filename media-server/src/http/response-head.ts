// An HTTP/1.1 response head (status-line and header section, RFC 9112 4 and 5), serialised from
// a status and a flat [name, value, ...] list. Pure; the connection writes the string it returns.

const reasons: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  206: 'Partial Content',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  411: 'Length Required',
  413: 'Content Too Large',
  416: 'Range Not Satisfiable',
  418: "I'm a teapot",
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

// A value with CR or LF would let it end the head early (response splitting, RFC 9112 11.1).
const unsafeValue = /[\r\n\0]/;

/**
 * `headers` is [name, value, name, value, ...]; `date` is an IMF-fixdate (RFC 9110 5.6.7: an
 * origin server with a clock "MUST generate a Date header field" in 2xx-4xx responses).
 * `connection` adds `Connection: close`, or `keep-alive` for an HTTP/1.0 client that asked.
 */
export function serializeResponseHead(status: number, headers: readonly string[], date: string, connection?: 'close' | 'keep-alive'): string {
  if (!Number.isInteger(status) || status < 100 || status > 999) throw new RangeError(`invalid status ${status}`);
  if (headers.length % 2 !== 0) throw new Error('headers must be [name, value, ...] pairs');
  let head = `HTTP/1.1 ${status} ${reasons[status] ?? 'Unknown'}\r\nDate: ${date}\r\n`;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    if (unsafeValue.test(name) || unsafeValue.test(value)) throw new Error(`header ${JSON.stringify(name)} has a line break or NUL`);
    head += `${name}: ${value}\r\n`;
  }
  if (connection !== undefined) head += `Connection: ${connection}\r\n`;
  return `${head}\r\n`;
}

/** The Content-Length in a flat header list, or undefined (names compared case-insensitively). */
export function contentLengthOf(headers: readonly string[]): number | undefined {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.length === 14 && headers[i]!.toLowerCase() === 'content-length') return Number(headers[i + 1]);
  }
  return undefined;
}
