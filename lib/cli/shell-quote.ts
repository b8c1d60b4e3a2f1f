// shellQuote: one word for POSIX sh, so that a printed command (the `terraform state rm '<address>'` hint)
// works when pasted. Single quotes keep every character literal but `'`, which is written `'\''`.

/** `value` as one POSIX sh word: single-quoted, each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
