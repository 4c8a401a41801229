import { useEffect, useState } from 'react';

/**
 * The value once it has stopped changing for `delayMs` (typing pauses, then one request). Until
 * then it is `initial`: the value itself by default, or e.g. '' so the first keystroke asks nothing.
 */
export function useDebouncedValue<T>(value: T, delayMs: number, initial: T = value): T {
  const [settled, setSettled] = useState(initial);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
