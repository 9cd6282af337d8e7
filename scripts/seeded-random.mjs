// mulberry32: a small seedable random number generator, so that a race or a benchmark can be run
// again with the same choices (RACE_SEED, the bench's seeds). Used by test/workers/* and scripts/bench.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
