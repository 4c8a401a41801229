// Kubernetes label-selector grammar, parsed into requirements that are all ANDed:
//   tier=enterprise, region in (eu,us), !beta, load!=low, env notin (dev), canary
// Errors name the position (1-based) so a person can find the mistake in what they typed.
import { ValidationError } from '../../lib/errors.ts';

export type Requirement =
  | { key: string; op: 'exists' | 'not_exists' }
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type Selector = Requirement[];

const keyPattern =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

type Token = { kind: 'word' | 'op' | 'punct'; text: string; at: number };

export class SelectorError extends ValidationError {
  constructor(message: string, at: number, field = 'selector') {
    super(`${field}: ${message} at position ${at + 1}`, [
      { path: field, message: `${message} at position ${at + 1}` },
    ]);
  }
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at: i++ });
    } else if (input.startsWith('==', i) || input.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: input.slice(i, i + 2), at: i });
      i += 2;
    } else if (c === '=' || c === '!') {
      tokens.push({ kind: 'op', text: c, at: i++ });
    } else {
      const start = i;
      while (i < input.length && !/[\s(),=!]/.test(input[i]!)) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), at: start });
    }
  }
  return tokens;
}

export function parseSelector(input: string, field = 'selector'): Selector {
  const tokens = tokenize(input);
  let pos = 0;
  const end = input.length;
  const peek = () => tokens[pos];
  const fail = (message: string, at = peek()?.at ?? end): never => {
    throw new SelectorError(message, at, field);
  };
  const word = (what: string, pattern: RegExp, explain: string): string => {
    const t = peek();
    if (!t || t.kind !== 'word') return fail(`expected ${what}`);
    if (!pattern.test(t.text)) fail(`'${t.text}' is not a valid ${what} (${explain})`, t.at);
    pos++;
    return t.text;
  };
  const key = () =>
    word('label key', keyPattern, 'letters, digits, "-", "_", "." and an optional prefix/');
  const value = () => {
    const t = peek();
    // An empty value is allowed after = and != (`tier=` matches an empty tier).
    if (!t || t.kind !== 'word') return '';
    return word('label value', valuePattern, 'up to 63 letters, digits, "-", "_" or "."');
  };

  if (tokens.length === 0) fail('the selector is empty', 0);
  const requirements: Selector = [];
  for (;;) {
    const t = peek();
    if (t?.kind === 'op' && t.text === '!') {
      pos++;
      requirements.push({ key: key(), op: 'not_exists' });
    } else {
      const k = key();
      const next = peek();
      if (!next || (next.kind === 'punct' && next.text === ',')) {
        requirements.push({ key: k, op: 'exists' });
      } else if (next.kind === 'op' && next.text !== '!') {
        pos++;
        requirements.push({ key: k, op: next.text === '!=' ? 'neq' : 'eq', value: value() });
      } else if (next.kind === 'word' && (next.text === 'in' || next.text === 'notin')) {
        pos++;
        const open = peek();
        if (open?.text !== '(') fail(`expected '(' after '${next.text}'`);
        pos++;
        const values = [value()];
        while (peek()?.text === ',') {
          pos++;
          values.push(value());
        }
        if (peek()?.text !== ')') fail(`expected ',' or ')' in the value list`);
        pos++;
        requirements.push({ key: k, op: next.text, values });
      } else {
        fail(`expected '=', '==', '!=', 'in', 'notin', ',' or the end after '${k}'`, next.at);
      }
    }
    const sep = peek();
    if (!sep) break;
    if (sep.text !== ',') fail(`expected ',' between requirements`);
    pos++;
    if (!peek()) fail('expected a requirement after the last comma');
  }
  return requirements;
}

/** Evaluates a parsed selector against one site's labels (the SQL form must agree with this). */
export function matches(selector: Selector, labels: Record<string, string>): boolean {
  return selector.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case 'not_exists':
        return !has;
      case 'eq':
        return has && value === r.value;
      case 'neq':
        return !has || value !== r.value;
      case 'in':
        return has && r.values.includes(value!);
      case 'notin':
        return !has || !r.values.includes(value!);
    }
  });
}
