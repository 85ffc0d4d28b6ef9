// The snippet highlighter: Python and TypeScript keywords, strings, comments and numbers, and the guarantee that the
// tokens always add up to the original code (so nothing is lost or invented when the view renders them).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SNIPPETS } from '../../src/lesson/snippets';

// The webview sources are ES modules (see webview/package.json), so this CommonJS test loads them dynamically.
import type * as Module from '../../webview/highlight.js' with { 'resolution-mode': 'import' };
type HighlightModule = typeof Module;
type Token = ReturnType<HighlightModule['highlight']>[number];
let H: HighlightModule;
before(async () => {
  H = await import('../../webview/highlight.js');
});

/** Tokens without plain text, as `kind:text`, for compact assertions. */
function marked(code: string, language: 'python' | 'typescript'): string[] {
  return H.highlight(code, language)
    .filter((t: Token) => t.kind !== 'plain')
    .map((t: Token) => `${t.kind}:${t.text}`);
}

describe('highlight', () => {
  it('gives back every shipped snippet exactly when its tokens are joined', () => {
    for (const s of SNIPPETS) {
      const tokens = H.highlight(s.code, s.language);
      assert.equal(tokens.map((t: Token) => t.text).join(''), s.code, `${s.strategy} ${s.language}`);
      assert.ok(tokens.every((t: Token) => t.text.length > 0));
      for (const kind of ['keyword', 'comment']) {
        assert.ok(tokens.some((t: Token) => t.kind === kind), `${s.strategy} ${s.language} has a ${kind}`);
      }
      assert.ok(tokens.some((t: Token) => t.kind === 'string' || t.kind === 'number'), `${s.strategy} ${s.language} has a literal`);
    }
  });

  it('merges neighbouring plain text into one token', () => {
    const tokens = H.highlight('a + b', 'typescript');
    assert.deepEqual(tokens, [{ kind: 'plain', text: 'a + b' }]);
  });

  it('returns no tokens for empty code', () => {
    assert.deepEqual(H.highlight('', 'python'), []);
  });
});

describe('Python', () => {
  it('finds keywords, but not names that contain them', () => {
    assert.deepEqual(marked('def save(x):\n    if x is None: return True\n    define = notice', 'python'), [
      'keyword:def', 'keyword:if', 'keyword:is', 'keyword:None', 'keyword:return', 'keyword:True',
    ]);
  });

  it('finds comments to the end of the line, not inside strings', () => {
    assert.deepEqual(marked('x = "a # b"  # note: "quoted"\ny = 1', 'python'), [
      'string:"a # b"', 'comment:# note: "quoted"', 'number:1',
    ]);
  });

  it('finds strings with prefixes, escapes and triple quotes', () => {
    assert.deepEqual(marked(`f"price:{sku}" rb'\\x00' 'it\\'s' """two\nlines""" x`, 'python'), [
      'string:f"price:{sku}"', "string:rb'\\x00'", "string:'it\\'s'", 'string:"""two\nlines"""',
    ]);
  });

  it('finds numbers, but not digits inside names', () => {
    assert.deepEqual(marked('ttl=3600; ratio = 0.7; big = 1_000_000; x = 1e-3; node1 = v2', 'python'), [
      'number:3600', 'number:0.7', 'number:1_000_000', 'number:1e-3',
    ]);
  });

  it('stops an unterminated single-quoted string at the end of its line', () => {
    assert.deepEqual(marked('s = "open\nif x: pass', 'python'), ['string:"open', 'keyword:if', 'keyword:pass']);
  });
});

describe('TypeScript', () => {
  it('finds keywords, including type keywords', () => {
    assert.deepEqual(marked('export async function f(k: string): Promise<void> { const n = await g(); return; }', 'typescript'), [
      'keyword:export', 'keyword:async', 'keyword:function', 'keyword:string', 'keyword:void', 'keyword:const',
      'keyword:await', 'keyword:return',
    ]);
  });

  it('finds line and block comments', () => {
    assert.deepEqual(marked('a(); // call it\n/** Doc, with "quotes". */\nb();', 'typescript'), [
      'comment:// call it', 'comment:/** Doc, with "quotes". */',
    ]);
  });

  it('keeps a template literal whole, including `${}` with braces and quotes inside', () => {
    const code = 'const key = `price:${sku}:${JSON.stringify({ a: "}" })}`; const n = 2;';
    assert.deepEqual(marked(code, 'typescript'), [
      'keyword:const', 'string:`price:${sku}:${JSON.stringify({ a: "}" })}`', 'keyword:const', 'number:2',
    ]);
  });

  it('finds single- and double-quoted strings with escapes', () => {
    assert.deepEqual(marked(`x('it\\'s', "say \\"hi\\"")`, 'typescript'), ["string:'it\\'s'", 'string:"say \\"hi\\""']);
  });

  it('finds decimal, separated, hex and bigint numbers', () => {
    assert.deepEqual(marked('f(60_000, 0x1F, 1.5, 10n, item2)', 'typescript'), [
      'number:60_000', 'number:0x1F', 'number:1.5', 'number:10n',
    ]);
  });

  it('does not treat `#` as a comment', () => {
    assert.deepEqual(marked('class A { #secret = 1 }', 'typescript'), ['keyword:class', 'number:1']);
  });
});
