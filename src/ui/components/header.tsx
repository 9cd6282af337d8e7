import { Box } from 'ink';
import { Text } from './text.js';
import type { Actor } from '../../core/staff/permissions.js';
import { useTheme } from '../theme.js';

export function Header({ title, actor, right }: { title: string; actor: Actor | null; right?: string }) {
  const theme = useTheme();
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          boxoffice
        </Text>
        <Text> · {title}</Text>
      </Text>
      <Box flexShrink={0} marginLeft={2}>
        <Text>
          {right ? <Text dimColor>{right} · </Text> : null}
          {actor ? (
            <Text bold>
              {actor.name} ({actor.role})
            </Text>
          ) : (
            <Text dimColor>not logged in</Text>
          )}
        </Text>
      </Box>
    </Box>
  );
}
