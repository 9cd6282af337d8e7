// Types for scripts/pg-cluster.mjs (used by test/setup/postgres.ts).
export interface Cluster {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}
export function findServerBin(): string | undefined;
export function freePort(): Promise<number>;
export function startCluster(dir: string, options?: { bin?: string; port?: number }): Promise<Cluster>;
export function stopCluster(dir: string): Promise<void>;
export function stopClusterNow(dir: string): void;
