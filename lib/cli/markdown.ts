// Markdown that carries values from elsewhere (a plan, a server's answer): each value is escaped so that it
// reads as literal text inside a table cell or a heading. Used by plan-summary and audit --format markdown.
import { escapeControls } from './output';

const WORD = /[A-Za-z0-9]/;

/**
 * Text as literal markdown, safe inside a table cell or a heading: markdown punctuation (a `|` would split
 * a cell, a backtick open code, `@` mention someone) gets a backslash, control characters show as \uXXXX.
 * `_` between letters or digits (GROUP_READ_ONLY) and `@` after one (ana@example.com) cannot start emphasis
 * or a mention: left as is.
 */
export function escapeMarkdown(text: string): string {
  const escaped = text.replace(/[\\`*_[\]<>|~&@]/g, (c, at: number) => {
    const before = text[at - 1] ?? '';
    const after = text[at + 1] ?? '';
    if (c === '_' && WORD.test(before) && WORD.test(after)) return c;
    if (c === '@' && WORD.test(before)) return c;
    return `\\${c}`;
  });
  return escapeControls(escaped).replace(/\n/g, '\\u000a');
}
