// Splits scenario text into lines, and a line into space/tab-separated tokens with `#` comments cut off.
// Offsets are UTF-16 code units, the unit VS Code columns count in.

export interface Token {
  text: string;
  /** 0-based offset of the first character in the line. */
  start: number;
  /** 0-based offset just past the last character. */
  end: number;
  /** The token starts inside a double-quoted JSON string, so a `via` or `#` there is data, not syntax. */
  inString: boolean;
}

/**
 * Lines as VS Code counts them: `\r\n`, `\n` and a lone `\r` all end a line, so diagnostic line numbers match the
 * editor's. A leading byte-order mark is dropped because the editor does not show it as a column.
 */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/);
}

/**
 * Tokens of one line. A `#` outside a double-quoted string starts a comment; inside one (`{"tag": "#1"}`) it is text.
 * Tokens still split at spaces inside strings: callers that need JSON take the raw text between token offsets.
 */
export function lexLine(line: string): Token[] {
  const tokens: Token[] = [];
  let inString = false;
  let escaped = false;
  let start = -1;
  let startsInString = false;
  let i = 0;
  for (; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    const isSpace = ch === 0x20 || ch === 0x09;
    if (!inString && !isSpace && ch === 0x23 /* # */) break;
    if (isSpace) {
      if (start >= 0) tokens.push({ text: line.slice(start, i), start, end: i, inString: startsInString });
      start = -1;
    } else if (start < 0) {
      start = i;
      startsInString = inString;
    }
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === 0x5c /* \ */) escaped = true;
      else if (ch === 0x22 /* " */) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    }
  }
  if (start >= 0) tokens.push({ text: line.slice(start, i), start, end: i, inString: startsInString });
  return tokens;
}
