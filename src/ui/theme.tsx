// Colours are a second signal, never the only one: every status also has a symbol or a word.
// With NO_COLOR or --no-color the palette is empty and Ink is never asked for a colour.
import { createContext, useContext, type ReactNode } from 'react';

export interface Palette {
  color: boolean;
  ok?: string;
  warn?: string;
  bad?: string;
  accent?: string;
  muted?: string;
  selected?: string;
}

const colourful: Palette = { color: true, ok: 'green', warn: 'yellow', bad: 'red', accent: 'cyan', muted: 'gray', selected: 'magenta' };
const plain: Palette = { color: false };

const ThemeContext = createContext<Palette>(colourful);

export function ThemeProvider({ color, children }: { color: boolean; children: ReactNode }) {
  return <ThemeContext.Provider value={color ? colourful : plain}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Palette {
  return useContext(ThemeContext);
}
