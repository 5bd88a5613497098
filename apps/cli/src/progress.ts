// The progress line while the CLI waits: a spinner on stderr, only when stderr is a terminal
// (in pipes, CI logs and tests nothing is drawn, so output stays line-oriented).
import { createSpinner } from "nanospinner";

export interface Progress {
  update(text: string): void;
  /** Removes the line (the command then prints its result). */
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

export function startProgress(interactive: boolean, text: string): Progress {
  if (!interactive) return NONE;
  const spinner = createSpinner(text, { stream: process.stderr }).start();
  return {
    update: (next) => void spinner.update({ text: next }),
    stop: () => void spinner.clear(),
  };
}
