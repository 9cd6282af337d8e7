import { Box } from 'ink';
import { Text } from './text.js';
import type { GaSectionView } from '../../core/inventory/availability.js';
import type { TierView } from '../../core/events/tiers.js';
import { priceFor } from '../../core/events/tiers.js';
import { formatMoney } from '../../core/money.js';
import { useTheme } from '../theme.js';
import { Gap } from './gap.js';

export function GaSteppers({ section, tiers, counts, focus, currency }: { section: GaSectionView; tiers: TierView[]; counts: Record<string, number>; focus: number; currency: string }) {
  const theme = useTheme();
  // What is picked is said once, on the seat map's pick line under this.
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{section.name}</Text> — general admission · <Text color={theme.ok}>{section.available} free</Text> of {section.capacity} · {section.held} held · {section.sold} sold
      </Text>
      <Gap />
      {tiers.map((tier, i) => {
        const price = priceFor(tier.prices, section.zone);
        const n = counts[tier.name] ?? 0;
        return (
          <Text key={tier.id} bold={i === focus}>
            <Text color={i === focus ? theme.accent : undefined}>{i === focus ? '›' : ' '} </Text>
            {tier.name.padEnd(14)}
            {(price === undefined ? 'no price' : formatMoney(price, currency)).padStart(10)}
            {'   '}
            <Text dimColor>−</Text> <Text inverse={i === focus}>{String(n).padStart(3)}</Text> <Text dimColor>+</Text>
          </Text>
        );
      })}
      <Gap />
    </Box>
  );
}
