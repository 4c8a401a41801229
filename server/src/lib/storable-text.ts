// PostgreSQL `text` and `jsonb` cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8
// encoding: either makes the statement fail. Such input is refused at the door, naming where it
// was, instead of failing later as a 500 (or, in a batch, taking good rows down with it).

export type TextProblem = {
  message: string;
  /** UTF-16 offset of the offending character */ index: number;
};

const nul = 'contains U+0000 (NUL), which cannot be stored';
const surrogate = 'contains a lone surrogate (half of a UTF-16 pair), which is not valid Unicode';

export function textProblem(text: string): TextProblem | undefined {
  const at = text.indexOf('\u0000');
  if (at >= 0) return { message: nul, index: at };
  if (text.isWellFormed()) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return { message: surrogate, index: i };
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return { message: surrogate, index: i };
    }
  }
  return undefined;
}

/** Deeper than this is not data anyone sends on purpose; it only exhausts recursive code. */
export const maxNesting = 64;

export type ValueProblem = { path: (string | number)[]; message: string };

/**
 * The first string or key in a parsed value that PostgreSQL cannot store, or nesting deeper than
 * `maxNesting`. Iterative, so a hostile depth cannot overflow the stack here.
 */
export function unstorableValue(value: unknown): ValueProblem | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { path, message: problem.message };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= maxNesting)
      return { path, message: `is nested deeper than ${maxNesting} levels` };
    const entries = Array.isArray(current)
      ? current.map((v, i) => [i, v] as const)
      : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (typeof key === 'string') {
        const problem = textProblem(key);
        if (problem) return { path: [...path, printable(key)], message: `key ${problem.message}` };
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

/** A key fit to print in an error message: unstorable characters replaced by U+FFFD. */
function printable(key: string): string {
  return key.replaceAll('\u0000', '\ufffd').toWellFormed();
}
