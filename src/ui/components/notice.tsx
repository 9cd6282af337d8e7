// One line that tells the clerk what just happened: a refusal from the core, word for word, or news.
import React from 'react';
import { Text } from 'ink';
import { BoxofficeError } from '../../core/errors.js';
import { useTheme } from '../theme.js';
import { Gap } from './gap.js';

export interface NoticeData {
  kind: 'error' | 'info' | 'ok';
  text: string;
  hint?: string;
}

export function noticeFrom(err: unknown): NoticeData {
  if (err instanceof BoxofficeError) return { kind: 'error', text: err.message, hint: err.hint };
  return { kind: 'error', text: err instanceof Error ? err.message : String(err) };
}

export function Notice({ notice }: { notice: NoticeData | null }) {
  const theme = useTheme();
  if (!notice) return <Gap />;
  const symbol = notice.kind === 'error' ? '✖' : notice.kind === 'ok' ? '✔' : 'ℹ';
  const colour = notice.kind === 'error' ? theme.bad : notice.kind === 'ok' ? theme.ok : theme.accent;
  return (
    <Text wrap="truncate-end">
      <Text color={colour} bold>
        {symbol} {notice.text}
      </Text>
      {notice.hint ? <Text dimColor> — {notice.hint}</Text> : null}
    </Text>
  );
}
