import { Box } from 'ink';
import { Text } from '../components/text.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, Services } from '../services.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useDoor } from '../hooks/use-door.js';
import { Screen } from '../components/screen.js';
import { VerdictBox } from '../components/verdict-box.js';
import { useTheme } from '../theme.js';

export function DoorScreen({ services, event, gate = null, onBack, refreshMs = 2000 }: { services: Services; event: EventSummary; gate?: string | null; onBack(): void; refreshMs?: number }) {
  const theme = useTheme();
  const size = useTerminalSize();
  const { state, counts, notice } = useDoor({ services, event, gate, onBack, refreshMs });

  const gates = counts?.gates ?? [];
  return (
    <Screen title={`door · ${event.name}`} right={humanTime(event.startsAt, event.timezone)} actor={services.actor} legend="door" notice={notice}>
      {state.gateDraft !== null ? (
        <Box flexDirection="column" paddingTop={1}>
          <Text>
            <Text bold>Which gate is this? </Text>
            {/* The suggestion shows selected: typing replaces it. */}
            {state.gateDraftFresh ? <Text inverse>{state.gateDraft}</Text> : state.gateDraft}
            <Text inverse> </Text>
            <Text dimColor> enter to start scanning</Text>
          </Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>
            <Text bold color={theme.accent}>
              Gate {state.gate || '—'}
            </Text>{' '}
            · scan or type a ticket code, then enter
          </Text>
          <Text>
            <Text bold>› </Text>
            {state.input}
            <Text inverse> </Text>
          </Text>
          <VerdictBox verdict={state.verdict} width={Math.max(30, size.columns)} />
          <Text wrap="truncate-end">
            <Text bold>Admitted {counts?.total ?? 0}</Text>
            {gates.length ? ' — ' : ''}
            {gates.map((g) => `gate ${g.gate ?? '(none)'}: ${g.admitted}`).join(' · ')}
          </Text>
          <Text dimColor>
            This terminal: {state.session.admitted} admitted · {state.session.refused} refused
          </Text>
        </Box>
      )}
    </Screen>
  );
}
