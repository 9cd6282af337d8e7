import { Box } from 'ink';
import { Text } from '../components/text.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, Services } from '../services.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { Screen, bodyRows } from '../components/screen.js';
import { AvailabilityBar } from '../components/availability-bar.js';
import type { NoticeData } from '../components/notice.js';
import { useEventPicker } from '../hooks/use-event-picker.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';

export function EventPicker({
  services,
  onOpen,
  onLogout,
  notice: initialNotice = null,
  refreshMs = 2000,
}: {
  services: Services;
  onOpen(event: EventSummary, mode: 'sell' | 'door'): void;
  onLogout?: () => void;
  notice?: NoticeData | null;
  refreshMs?: number;
}) {
  const theme = useTheme();
  const size = useTerminalSize();
  const { events, shown, state, notice, door } = useEventPicker({ services, onOpen, onLogout, notice: initialNotice, refreshMs });

  const room = bodyRows('events', size) - 3;
  const top = Math.max(0, Math.min(state.cursor - room + 1, shown.length - room));
  const nameWidth = Math.min(28, Math.max(8, ...shown.map((e) => e.name.length)));
  const venueWidth = Math.min(22, Math.max(5, ...shown.map((e) => e.venue.length)));
  const barWidth = Math.max(6, Math.min(24, size.columns - nameWidth - venueWidth - 62));

  return (
    <Screen title="events" actor={services.actor} legend="events" legendDisabled={[...(door ? ['sell'] : []), ...(onLogout ? [] : ['logout'])]} notice={notice}>
      <Text>
        Filter: <Text bold>{state.filter}</Text>
        <Text inverse> </Text>
        {state.filter ? (
          <Text dimColor>
            {' '}
            {shown.length} of {events?.length ?? 0}
          </Text>
        ) : (
          <Text dimColor> type to filter{door ? ' · enter opens door mode' : ''}</Text>
        )}
      </Text>
      <Gap />
      {events === null ? <Text dimColor>Loading events…</Text> : null}
      {events !== null && shown.length === 0 ? (
        <Text>{events.length === 0 ? 'No events on sale today or later. Add one: boxoffice event add … then boxoffice event publish …' : `No event matches "${state.filter}".`}</Text>
      ) : null}
      {shown.slice(top, top + room).map((e, i) => {
        const at = top + i === state.cursor;
        return (
          <Text key={e.id} wrap="truncate-end" bold={at}>
            <Text color={at ? theme.accent : undefined}>{at ? '› ' : '  '}</Text>
            {e.name.slice(0, nameWidth).padEnd(nameWidth)} <Text dimColor={!at}>{e.venue.slice(0, venueWidth).padEnd(venueWidth)}</Text> {humanTime(e.startsAt, e.timezone).padEnd(22)}{' '}
            <Text>
              sold {String(e.counts.sold).padStart(4)} held {String(e.counts.held).padStart(3)} free {String(e.counts.available).padStart(4)}{' '}
            </Text>
            <AvailabilityBar counts={e.counts} width={barWidth} />
          </Text>
        );
      })}
      {events?.length ? (
        <Box marginTop={1}>
          <Text dimColor>bar: █ sold ▒ held/blocked ░ free</Text>
        </Box>
      ) : null}
    </Screen>
  );
}
