import { Text } from './text.js';
import { useTheme } from '../theme.js';

export function TextField({ label, value, focused, mask, placeholder, width = 14 }: { label: string; value: string; focused: boolean; mask?: boolean; placeholder?: string; width?: number }) {
  const theme = useTheme();
  const shown = mask ? '•'.repeat(value.length) : value;
  return (
    <Text>
      <Text bold={focused} color={focused ? theme.accent : undefined}>
        {focused ? '›' : ' '} {label.padEnd(width)}
      </Text>
      <Text>{shown}</Text>
      {focused ? <Text inverse> </Text> : null}
      {!shown && placeholder ? <Text dimColor> {placeholder}</Text> : null}
    </Text>
  );
}
