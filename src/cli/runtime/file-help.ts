// The rules every command that writes a file keeps (core/output-file.ts), said once for --help.

/** A paragraph for --help: how `what` (e.g. "The PDF holds valid ticket codes: it") is written. */
export function outputFileHelp(what: string): string {
  return `
${what} is written private (mode 0600), to a temp file beside it that is renamed into place
only when complete: stopped or failed, it leaves the name as it was. An existing file is
replaced only with --force (else exit 4); a symbolic link, FIFO or device is refused, and so is
a folder that does not exist or cannot be written (exit 2).
`;
}
