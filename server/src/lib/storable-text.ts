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
 * `maxNesting`. Recursion stops at that depth, so a hostile depth cannot overflow the stack; the
 * path is built only for the problem found (a 100,000-site import is walked in tens of ms).
 */
export function unstorableValue(value: unknown, depth = 0): ValueProblem | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem && { path: [], message: problem.message };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= maxNesting)
    return { path: [], message: `is nested deeper than ${maxNesting} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = unstorableValue(value[i], depth + 1);
      if (problem) return within(i, problem);
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const bad = textProblem(key);
    if (bad) return { path: [printable(key)], message: `key ${bad.message}` };
    const problem = unstorableValue((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return within(key, problem);
  }
  return undefined;
}

function within(key: string | number, problem: ValueProblem): ValueProblem {
  problem.path.unshift(key);
  return problem;
}

/** A key fit to print in an error message: unstorable characters replaced by U+FFFD. */
function printable(key: string): string {
  return key.replaceAll('\u0000', '\ufffd').toWellFormed();
}
