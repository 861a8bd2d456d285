// MSB-first bit reader for codec headers (H.264/H.265 SPS, AV1 sequence header, AAC ASC).
// Every read checks the remaining length and throws CodecError instead of reading past the end.

export class CodecError extends Error {
  constructor(
    readonly code: 'buffer-too-short' | 'invalid-record' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'CodecError';
  }
}

export class BitReader {
  private bit = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get bitsLeft(): number {
    return this.bytes.length * 8 - this.bit;
  }

  readBits(count: number): number {
    if (count > 32) throw new CodecError('unsupported', `cannot read ${count} bits at once`);
    if (count > this.bitsLeft) {
      throw new CodecError('buffer-too-short', `need ${count} bits, ${this.bitsLeft} left`);
    }
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.bytes[this.bit >>> 3]!;
      value = value * 2 + ((byte >>> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }

  readFlag(): boolean {
    return this.readBits(1) === 1;
  }

  skipBits(count: number): void {
    if (count > this.bitsLeft) throw new CodecError('buffer-too-short', `cannot skip ${count} bits, ${this.bitsLeft} left`);
    this.bit += count;
  }

  /** Unsigned Exp-Golomb, ue(v) (H.264 9.1). */
  readUe(): number {
    let zeros = 0;
    while (!this.readFlag()) {
      zeros++;
      if (zeros > 31) throw new CodecError('invalid-record', 'Exp-Golomb code longer than 32 bits');
    }
    return zeros === 0 ? 0 : 2 ** zeros - 1 + this.readBits(zeros);
  }

  /** Signed Exp-Golomb, se(v). */
  readSe(): number {
    const code = this.readUe();
    return code % 2 === 1 ? (code + 1) / 2 : -(code / 2);
  }

  /** AV1 uvlc() (AV1 spec 4.10.3). */
  readUvlc(): number {
    let zeros = 0;
    while (!this.readFlag()) {
      zeros++;
      if (zeros >= 32) return 2 ** 32 - 1;
    }
    return zeros === 0 ? 0 : this.readBits(zeros) + 2 ** zeros - 1;
  }
}

/** Removes emulation prevention bytes (00 00 03 -> 00 00) from a NAL unit payload (H.264 7.4.1). */
export function unescapeRbsp(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(nal.length);
  let length = 0;
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, length);
}

export function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
