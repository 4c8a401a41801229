import { z } from 'zod';

/** Plainer words than zod's defaults for the most common problem: a field that is missing. */
export function useFriendlyZodMessages(): void {
  z.config({
    customError: (issue) =>
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
  });
}
