// A blank line. (Ink gives a Text of only spaces no height.)
import React from 'react';
import { Box } from 'ink';

export function Gap({ lines = 1 }: { lines?: number }) {
  return <Box height={lines} flexShrink={0} />;
}
