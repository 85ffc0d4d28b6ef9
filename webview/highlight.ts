// A small syntax highlighter for the lesson's Python and TypeScript snippets: keywords, strings, comments, numbers.
// Pure: it returns tokens; the snippet view turns them into spans with classes (text is never parsed as HTML).

export type HighlightLanguage = 'python' | 'typescript';
export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'case', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'match',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const TYPESCRIPT_KEYWORDS = new Set([
  'abstract', 'any', 'as', 'async', 'await', 'boolean', 'break', 'case', 'catch', 'class', 'const', 'continue',
  'declare', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'from',
  'function', 'if', 'implements', 'import', 'in', 'infer', 'instanceof', 'interface', 'is', 'keyof', 'let', 'namespace',
  'never', 'new', 'null', 'number', 'of', 'override', 'private', 'protected', 'public', 'readonly', 'return',
  'satisfies', 'static', 'string', 'super', 'switch', 'this', 'throw', 'true', 'try', 'type', 'typeof', 'undefined',
  'unknown', 'var', 'void', 'while', 'yield',
]);

const IDENTIFIER = /[A-Za-z_$][\w$]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?j?/y;

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

/** End (exclusive) of a quoted string starting at `start` with `quote` (1 or 3 characters); stops at the line end for 1. */
function endOfQuoted(text: string, start: number, quote: string): number {
  let i = start + quote.length;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (quote.length === 1 && c === '\n') return i;
    if (text.startsWith(quote, i)) return i + quote.length;
    i++;
  }
  return text.length;
}

/** End of a TypeScript template literal, skipping `${ ... }` (with nested braces) so a `}` there does not end it. */
function endOfTemplate(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') return i + 1;
    if (c === '$' && text[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        i++;
      }
      continue;
    }
    i++;
  }
  return text.length;
}

/** Splits code into tokens; concatenating their texts gives back the input exactly. */
export function highlight(code: string, language: HighlightLanguage): Token[] {
  const keywords = language === 'python' ? PYTHON_KEYWORDS : TYPESCRIPT_KEYWORDS;
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && kind === 'plain') last.text += text;
    else tokens.push({ kind, text });
  };

  let i = 0;
  while (i < code.length) {
    const c = code[i] as string;
    const rest2 = code.slice(i, i + 2);

    // Comments
    if (language === 'python' ? c === '#' : rest2 === '//') {
      const end = code.indexOf('\n', i);
      const stop = end === -1 ? code.length : end;
      push('comment', code.slice(i, stop));
      i = stop;
      continue;
    }
    if (language === 'typescript' && rest2 === '/*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end === -1 ? code.length : end + 2;
      push('comment', code.slice(i, stop));
      i = stop;
      continue;
    }

    // Strings (Python: optional prefix letters such as f, r, b, rb; triple quotes)
    if (language === 'python') {
      const prefix = /[rRbBuUfF]{1,2}(?=['"])/y;
      const p = matchAt(prefix, code, i) ?? '';
      const q = code[i + p.length];
      if (q === '"' || q === "'") {
        const quote = code.startsWith(q.repeat(3), i + p.length) ? q.repeat(3) : q;
        const end = endOfQuoted(code, i + p.length, quote);
        push('string', code.slice(i, end));
        i = end;
        continue;
      }
    } else if (c === '"' || c === "'") {
      const end = endOfQuoted(code, i, c);
      push('string', code.slice(i, end));
      i = end;
      continue;
    } else if (c === '`') {
      const end = endOfTemplate(code, i);
      push('string', code.slice(i, end));
      i = end;
      continue;
    }

    // Identifiers and keywords (read whole, so `node1` is not split into a name and a number)
    const word = matchAt(IDENTIFIER, code, i);
    if (word) {
      push(keywords.has(word) ? 'keyword' : 'plain', word);
      i += word.length;
      continue;
    }

    // Numbers
    if (/[\d.]/.test(c)) {
      const num = matchAt(NUMBER, code, i);
      if (num && num !== '.') {
        push('number', num);
        i += num.length;
        continue;
      }
    }

    push('plain', c);
    i++;
  }
  return tokens;
}
