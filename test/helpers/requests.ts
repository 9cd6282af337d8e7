// Seats and tiers for core requests, written as the command line types them (`A-1,A-2`,
// `Adult=2,Child=1`) and parsed by the command line's own parser.
export { parseSeatRefs as seats, parseTierSpec as tiers } from '../../src/cli/runtime/parse.js';
