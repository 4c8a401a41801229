/** A field's error under it; the control points at it with `describedBy(message, id)`. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

/** aria-invalid and aria-describedby for a control, while its error (shown with `id`) stands. */
export const describedBy = (message: string | undefined, id: string) =>
  message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
