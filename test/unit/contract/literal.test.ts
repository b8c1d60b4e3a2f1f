import { decodeLiteral, encodeLiteral } from '../../../lib/contract/literal';

describe('encodeLiteral and decodeLiteral', () => {
  it.each([
    '',
    'ana@example.com',
    '${var.secret}',
    '%{ if true }x%{ endif }',
    '$${already escaped}',
    '%%{already escaped}',
    '$$$${x}',
    'a$b%c{d}',
    '${${nested}}',
    '$',
    '%',
    '{}',
  ])('gives back %j after encoding and decoding it', (text) => {
    expect(decodeLiteral(encodeLiteral(text))).toBe(text);
  });

  it('escapes both template openers the way Terraform reads them as literals', () => {
    expect(encodeLiteral('${a} %{b}')).toBe('$${a} %%{b}');
  });

  it('refuses a live template sequence: only Terraform knows its value', () => {
    expect(decodeLiteral('${var.x}')).toBeUndefined();
    expect(decodeLiteral('a%{ if x }')).toBeUndefined();
    expect(decodeLiteral('$${var.x}')).toBe('${var.x}');
  });
});
