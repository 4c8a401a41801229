import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Dialog } from './dialog';

function PauseButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Pause
      </button>
      {open ? (
        <Dialog title="Pause r-1" onClose={() => setOpen(false)}>
          <p>The engine stops moving this rollout.</p>
          <button type="button">Help</button>
          <label>
            Reason <input data-autofocus />
          </label>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </Dialog>
      ) : null}
    </>
  );
}

describe('Dialog', () => {
  it('opens on the field to start with and gives focus back to its opener when it closes', async () => {
    const user = userEvent.setup();
    render(<PauseButton />);

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(screen.getByRole('dialog', { name: 'Pause r-1' })).toBeVisible();
    expect(screen.getByLabelText('Reason')).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pause' })).toHaveFocus();
  });
});
