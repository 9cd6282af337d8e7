import { Text } from './text.js';
import type { AvailabilityCounts } from '../../core/inventory/counts.js';
import { useTheme } from '../theme.js';

export function barParts(counts: AvailabilityCounts, width: number): { sold: number; held: number; free: number } {
  const total = Math.max(1, counts.capacity);
  const sold = Math.round((counts.sold / total) * width);
  const held = Math.min(width - sold, Math.round(((counts.held + counts.blocked) / total) * width));
  // A single sale in a big house still shows.
  const soldShown = counts.sold > 0 && sold === 0 && width - held > 0 ? 1 : sold;
  return { sold: soldShown, held, free: Math.max(0, width - soldShown - held) };
}

export function AvailabilityBar({ counts, width }: { counts: AvailabilityCounts; width: number }) {
  const theme = useTheme();
  const p = barParts(counts, width);
  return (
    <Text>
      <Text color={theme.bad}>{'█'.repeat(p.sold)}</Text>
      <Text color={theme.warn}>{'▒'.repeat(p.held)}</Text>
      <Text color={theme.ok}>{'░'.repeat(p.free)}</Text>
    </Text>
  );
}
