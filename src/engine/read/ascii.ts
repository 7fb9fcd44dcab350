/** Byte tests shared by the code-page guesses (detect.ts, mac-roman.ts); `undefined` is past either end. */

export function isAsciiLetter(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
}

export function isSmallAsciiLetter(b: number | undefined): boolean {
  return b !== undefined && b >= 0x61 && b <= 0x7a;
}

export function isAsciiAlphanumeric(b: number | undefined): boolean {
  return isAsciiLetter(b) || (b !== undefined && b >= 0x30 && b <= 0x39);
}
