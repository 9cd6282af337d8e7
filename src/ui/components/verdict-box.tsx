import { Box } from 'ink';
import { Text } from './text.js';
import type { Verdict } from '../state/door.js';
import { useTheme } from '../theme.js';
import { Gap } from './gap.js';

export function VerdictBox({ verdict, width }: { verdict: Verdict | null; width: number }) {
  const theme = useTheme();
  if (!verdict) {
    return (
      <Box borderStyle="round" width={width} height={7} justifyContent="center" alignItems="center">
        <Text dimColor>Waiting for a scan…</Text>
      </Box>
    );
  }
  const ok = verdict.kind === 'admitted';
  const colour = ok ? theme.ok : verdict.kind === 'used' ? theme.warn : theme.bad;
  const symbol = ok ? '✔' : '✖';
  const spaced = verdict.title.split('').join(' ');
  return (
    <Box borderStyle="double" borderColor={colour} width={width} height={7} flexDirection="column" justifyContent="center" alignItems="center">
      <Text bold color={colour}>
        {symbol} {spaced} {symbol}
      </Text>
      <Gap />
      <Text bold>{verdict.detail}</Text>
      <Text dimColor>{verdict.code}</Text>
    </Box>
  );
}
