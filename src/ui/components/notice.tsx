import { Text } from './text.js';
import { BoxofficeError, domainError } from '../../core/errors.js';
import { screenWords } from '../wording.js';
import { useTheme } from '../theme.js';
import { Gap } from './gap.js';

export interface NoticeData {
  kind: 'error' | 'info' | 'ok';
  text: string;
  hint?: string;
}

/** A refusal from the core as the screen says it: in the core's words, less its command-line flags. */
export function noticeFrom(failure: unknown): NoticeData {
  const err = domainError(failure);
  if (err instanceof BoxofficeError) return { kind: 'error', ...screenWords(err) };
  return { kind: 'error', text: err instanceof Error ? err.message : String(err) };
}

/** Lines a notice takes at this width when it wraps (one when it is cut at the edge, or absent). */
export function noticeLines(notice: NoticeData | null, columns: number, wrap = true): number {
  if (!notice || !wrap) return 1;
  const length = [...`✖ ${notice.text}${notice.hint ? ` — ${notice.hint}` : ''}`].length;
  // Wrapping breaks at spaces, so a line may end a word early: allow a little for it.
  return Math.max(1, Math.ceil(length / Math.max(1, columns - 8)));
}

/** One line, cut at the edge; `wrap` lets a long one (a file path) take the lines it needs. */
export function Notice({ notice, wrap = false }: { notice: NoticeData | null; wrap?: boolean }) {
  const theme = useTheme();
  if (!notice) return <Gap />;
  const symbol = notice.kind === 'error' ? '✖' : notice.kind === 'ok' ? '✔' : 'ℹ';
  const colour = notice.kind === 'error' ? theme.bad : notice.kind === 'ok' ? theme.ok : theme.accent;
  return (
    <Text wrap={wrap ? 'wrap' : 'truncate-end'}>
      <Text color={colour} bold>
        {symbol} {notice.text}
      </Text>
      {notice.hint ? <Text dimColor> — {notice.hint}</Text> : null}
    </Text>
  );
}
