import { Box } from 'ink';

export function Gap({ lines = 1 }: { lines?: number }) {
  return <Box height={lines} flexShrink={0} />;
}
