/** Marks a task a person drives in the terminal dock: no worker starts it until the terminal is closed. */
export function InTerminalBadge() {
  return (
    <span className="badge in-terminal" title="A person is driving this task's session in a terminal; no worker starts it until the terminal is closed.">
      In terminal
    </span>
  );
}
