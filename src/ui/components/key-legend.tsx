// The key legend at the foot of every screen, drawn from key-bindings.ts.
import React from 'react';
import { Text } from 'ink';
import { BINDINGS, LEGENDS, type LegendName } from '../key-bindings.js';
import { useTheme } from '../theme.js';

/** Bindings with an empty label share the next labelled one: `↑/k ↓/j ←/h →/l move`. */
export function legendEntries(name: LegendName, disabled: string[] = []): { keys: string; label: string; disabled: boolean }[] {
  const entries: { keys: string; label: string; disabled: boolean }[] = [];
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

export function KeyLegend({ name, disabled = [] }: { name: LegendName; disabled?: string[] }) {
  const theme = useTheme();
  const entries = legendEntries(name, disabled);
  return (
    <Text wrap="wrap">
      {entries.map((e, i) => (
        <Text key={i}>
          {i > 0 ? '  ' : ''}
          <Text bold={!e.disabled} dimColor={e.disabled} color={e.disabled ? undefined : theme.accent}>
            {e.keys}
          </Text>
          <Text dimColor={e.disabled}> {e.label}{e.disabled ? ' (n/a)' : ''}</Text>
        </Text>
      ))}
    </Text>
  );
}
