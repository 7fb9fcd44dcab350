import {useEffect, useState} from 'react';
import {Box, Text, useStdout} from 'ink';
import wrapAnsi from 'wrap-ansi';

export interface ConfirmPromptProps {
  question: string;
  /**
   * The demo: answer yes by itself after this long, unless the person answers first.
   * Undefined = wait for y or n (Enter means no).
   */
  autoConfirmMs?: number;
  /** Called when the countdown ends; key presses are handled by the app's one input handler. */
  onAutoConfirm?: () => void;
}

/** The y/N question. No by default: nothing is written to Seam unless the person says so. */
export function ConfirmPrompt({question, autoConfirmMs, onAutoConfirm}: ConfirmPromptProps) {
  const [left, setLeft] = useState(autoConfirmMs === undefined ? 0 : Math.ceil(autoConfirmMs / 1000));

  useEffect(() => {
    if (autoConfirmMs === undefined) return;
    const done = setTimeout(() => onAutoConfirm?.(), autoConfirmMs);
    const tick = setInterval(() => setLeft((n) => Math.max(0, n - 1)), 1000);
    return () => {
      clearTimeout(done);
      clearInterval(tick);
    };
  }, [autoConfirmMs, onAutoConfirm]);

  // Wrapped here at word boundaries (Ink would start a wrapped line with a space), the answers kept on the last line.
  const {stdout} = useStdout();
  const choices = autoConfirmMs === undefined ? '[y/N] ' : '[Y/n] ';
  const wrapped = wrapAnsi(`${question} ${choices}`, stdout.columns > 0 ? stdout.columns : 80, {trim: true, hard: true});
  const at = wrapped.lastIndexOf(choices.trim());
  const asked = wrapped.slice(0, at);
  const answers = `${wrapped.slice(at)} `;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text bold>{asked}</Text>
        {answers}
      </Text>
      {autoConfirmMs !== undefined && (
        <Text dimColor>Demo: starting in {left}s (Enter to start now, n to cancel)</Text>
      )}
    </Box>
  );
}
