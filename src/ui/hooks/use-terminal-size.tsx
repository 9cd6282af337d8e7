// The terminal's size, following resizes; tests may fix it through the provider.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const FixedSize = createContext<TerminalSize | undefined>(undefined);

export function FixedSizeProvider({ size, children }: { size?: TerminalSize; children: ReactNode }) {
  return <FixedSize.Provider value={size}>{children}</FixedSize.Provider>;
}

const read = (stdout: NodeJS.WriteStream): TerminalSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });

export function useTerminalSize(): TerminalSize {
  const fixed = useContext(FixedSize);
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
