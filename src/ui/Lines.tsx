import {Box, Text} from 'ink';
import type {Line, Tone} from '../report/format.js';
import stringWidth from 'string-width';
import {Wrapped} from './Wrapped.js';

const STYLE: Readonly<Record<Tone, {color?: string; bold?: boolean; dimColor?: boolean}>> = {
  normal: {},
  good: {color: 'green'},
  warn: {color: 'yellow'},
  bad: {color: 'red', bold: true},
  dim: {dimColor: true},
  title: {bold: true},
  command: {color: 'cyan'},
};

/** Lines made by `src/report/` (shared with the plain reporter), with colour by tone. */
export function Lines({lines}: {lines: readonly Line[]}) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => {
        const indent = (line.indent ?? 0) * 2;
        // A command or a path is never wrapped: a pasted command with a line break in it would run
        // half of itself. Wider than the terminal, the terminal soft-wraps it, which copies back as one line.
        const command = line.whole === true || line.tone === 'command';
        return (
          // Lines are rebuilt whole each time; their position is their identity.
          // eslint-disable-next-line react/no-array-index-key
          <Box key={i} paddingLeft={indent} flexShrink={command ? 0 : 1} width={command ? indent + stringWidth(line.label ?? '') + stringWidth(line.text) : undefined}>
            {line.label !== undefined && (
              <Box flexShrink={0}>
                <Text {...STYLE[line.tone ?? 'normal']}>{line.label}</Text>
              </Box>
            )}
            {command ? (
              <Text {...STYLE[line.tone ?? 'normal']} wrap="truncate-end">
                {line.text}
              </Text>
            ) : (
              <Wrapped {...STYLE[line.tone ?? 'normal']} inset={indent + (line.label?.length ?? 0)}>
                {line.text}
              </Wrapped>
            )}
          </Box>
        );
      })}
    </Box>
  );
}
