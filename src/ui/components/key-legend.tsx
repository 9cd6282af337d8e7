import { Box } from 'ink';
import { Text } from './text.js';
import { BINDINGS, LEGENDS, type LegendName } from '../key-bindings.js';
import { useTheme } from '../theme.js';

export interface LegendEntry {
  keys: string;
  label: string;
  disabled: boolean;
}

/** Bindings with an empty label share the next labelled one: `↑/k ↓/j ←/h →/l move`. */
export function legendEntries(name: LegendName, disabled: string[] = []): LegendEntry[] {
  const entries: LegendEntry[] = [];
  let pending: string[] = [];
  for (const id of LEGENDS[name]) {
    const b = BINDINGS[id];
    pending.push(b.keys);
    if (!b.label) continue;
    entries.push({ keys: pending.join(' '), label: b.label, disabled: disabled.includes(id) });
    pending = [];
  }
  return entries;
}

const GAP = '  ';
const entryText = (e: LegendEntry) => `${e.keys} ${e.label}${e.disabled ? ' (n/a)' : ''}`;
const width = (text: string) => [...text].length;

/** The legend laid out in lines of at most `columns`, each line whole bindings. */
export function legendRows(name: LegendName, columns: number, disabled: string[] = []): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let row: LegendEntry[] = [];
  let used = 0;
  for (const e of legendEntries(name, disabled)) {
    const w = width(entryText(e));
    if (row.length > 0 && used + GAP.length + w > columns) {
      rows.push(row);
      row = [];
      used = 0;
    }
    used += (row.length > 0 ? GAP.length : 0) + w;
    row.push(e);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

export function KeyLegend({ name, columns, disabled = [] }: { name: LegendName; columns: number; disabled?: string[] }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" flexShrink={0}>
      {legendRows(name, columns, disabled).map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {row.map((e, i) => (
            <Text key={i}>
              {i > 0 ? GAP : ''}
              <Text bold={!e.disabled} dimColor={e.disabled} color={e.disabled ? undefined : theme.accent}>
                {e.keys}
              </Text>
              <Text dimColor={e.disabled}>
                {' '}
                {e.label}
                {e.disabled ? ' (n/a)' : ''}
              </Text>
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
