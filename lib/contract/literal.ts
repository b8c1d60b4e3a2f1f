// Text the construct writes into Terraform's JSON syntax stays literal: every string there is a template,
// so `${` and `%{` are escaped as `$${` and `%%{`. What reads a synthesized file (audit) takes the escapes
// back with decodeLiteral, and refuses a value that holds a live template sequence.

/** The literal form of user text in Terraform's JSON syntax: `${` → `$${`, `%{` → `%%{`. */
export function encodeLiteral(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * The text a literal of Terraform's JSON syntax stands for (`$${` → `${`, `%%{` → `%{`), or undefined
 * when it holds an unescaped `${` or `%{`: a template, whose value only Terraform knows.
 */
export function decodeLiteral(raw: string): string | undefined {
  if (/(^|[^$])\$\{|(^|[^%])%\{/.test(raw)) return undefined;
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}
