// The frame of every screen: header with the operator, the body, one notice line, the key legend.
import React, { type ReactNode } from 'react';
import { Box } from 'ink';
import type { Actor } from '../../core/staff/permissions.js';
import type { LegendName } from '../key-bindings.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { Header } from './header.js';
import { KeyLegend, legendEntries } from './key-legend.js';
import { Notice, type NoticeData } from './notice.js';

/** Lines the legend takes at this width (it wraps on narrow terminals). */
export function legendLines(name: LegendName, columns: number): number {
  const length = legendEntries(name).reduce((n, e) => n + e.keys.length + e.label.length + 3, 0);
  return Math.max(1, Math.ceil(length / Math.max(20, columns)));
}

/** Rows left for a screen's body once header, notice and legend are drawn. */
export function bodyRows(name: LegendName, size: { rows: number; columns: number }): number {
  // One row is kept free: Ink redraws the whole screen when its output fills the terminal.
  return Math.max(3, size.rows - 1 - 1 - 1 - legendLines(name, size.columns));
}

export function Screen({
  title,
  actor,
  right,
  legend,
  legendDisabled,
  notice,
  children,
}: {
  title: string;
  actor: Actor | null;
  right?: string;
  legend: LegendName;
  legendDisabled?: string[];
  notice: NoticeData | null;
  children: ReactNode;
}) {
  const size = useTerminalSize();
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Header title={title} actor={actor} right={right} />
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
      <Notice notice={notice} />
      <KeyLegend name={legend} disabled={legendDisabled} />
    </Box>
  );
}
