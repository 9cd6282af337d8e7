// Preloaded with `node --import` into a process whose peak memory we want: at exit it writes the
// process's maximum resident set size (KiB, from getrusage) to the file BOXOFFICE_RSS_REPORT names.
import fs from 'node:fs';

const file = process.env.BOXOFFICE_RSS_REPORT;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
