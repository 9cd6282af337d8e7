// The frame of every screen: header with the operator, the body, one notice line, the key legend.
import type { ReactNode } from 'react';
import { Box } from 'ink';
import type { Actor } from '../../core/staff/permissions.js';
import type { LegendName } from '../key-bindings.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { Header } from './header.js';
import { KeyLegend, legendRows } from './key-legend.js';
import { Notice, noticeLines, type NoticeData } from './notice.js';

/** Lines the legend takes at this width (it wraps on narrow terminals, between bindings). */
export function legendLines(name: LegendName, columns: number, disabled: string[] = []): number {
  return Math.max(1, legendRows(name, columns, disabled).length);
}

/** Rows left for a screen's body once header, notice (wrapped, if given) and legend are drawn. */
export function bodyRows(name: LegendName, size: { rows: number; columns: number }, options: { disabled?: string[]; notice?: NoticeData | null } = {}): number {
  // One row is kept free: Ink redraws the whole screen when its output fills the terminal.
  const notice = noticeLines(options.notice ?? null, size.columns);
  return Math.max(3, size.rows - 1 - 1 - notice - legendLines(name, size.columns, options.disabled));
}

export function Screen({
  title,
  actor,
  right,
  legend,
  legendDisabled,
  notice,
  noticeWrap = false,
  children,
}: {
  title: string;
  actor: Actor | null;
  right?: string;
  legend: LegendName;
  legendDisabled?: string[];
  notice: NoticeData | null;
  /** Let a long notice wrap instead of being cut at the edge (the body gives up the rows). */
  noticeWrap?: boolean;
  children: ReactNode;
}) {
  const size = useTerminalSize();
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Header title={title} actor={actor} right={right} />
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
      <Box flexShrink={0}>
        <Notice notice={notice} wrap={noticeWrap} />
      </Box>
      <KeyLegend name={legend} columns={size.columns} disabled={legendDisabled} />
    </Box>
  );
}
