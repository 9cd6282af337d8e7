// Best available: N adjacent seats in one row, best by score.
//
// Score (lower is better) = row rank + 0.5 × |block centre − section centre line|, in seats:
// one row further back weighs the same as two seats further off centre. The centre line is the
// midpoint of the section's seat positions (x where the seat map gives it, else the seat number).
// Adjacent means consecutive seat numbers in the same row. Among blocks of equal score, one that
// leaves no lone empty seat beside it wins; then the front-most row, then the lower seat number.
// Sections are taken in the seat map's order (Stalls before Balcony, as they were added): a later
// section is offered only when no earlier one has a block; ask for a section to choose another.

export interface SeatPlace {
  seatId: number;
  sectionId: number;
  rowRank: number;
  row: string;
  number: number;
  x: number | null;
  free: boolean;
}

export interface BlockChoice {
  seats: SeatPlace[];
  score: number;
  leavesOrphan: boolean;
}

export interface SectionPlaces {
  sectionId: number;
  sectionName: string;
  position: number;
  /** The section's seats, sorted by row rank then number. */
  places: SeatPlace[];
}

const ROW_WEIGHT = 1;
const OFF_CENTRE_WEIGHT = 0.5;

const pos = (p: SeatPlace) => p.x ?? p.number;

/** Runs of free, adjacent seats per row. */
function freeRuns(places: SeatPlace[]): SeatPlace[][] {
  const runs: SeatPlace[][] = [];
  let run: SeatPlace[] = [];
  let prev: SeatPlace | undefined;
  for (const p of places) {
    const adjacent = prev && prev.rowRank === p.rowRank && p.number === prev.number + 1;
    if (!adjacent || !p.free) {
      if (run.length) runs.push(run);
      run = [];
    }
    if (p.free) run.push(p);
    prev = p;
  }
  if (run.length) runs.push(run);
  return runs;
}

export interface BestResult {
  choice?: BlockChoice & { sectionName: string };
  /** When there is no block: the largest free adjacent block anywhere considered, for the refusal message. */
  largest: { size: number; sectionName: string; row: string; from: number; to: number } | undefined;
}

/** Finds the best block of `n` adjacent free seats: in the first of the given sections (in order) that has one. */
export function bestAvailable(sections: SectionPlaces[], n: number): BestResult {
  let best: (BlockChoice & { sectionName: string; sectionPos: number }) | undefined;
  let largest: BestResult['largest'];
  for (const section of sections) {
    if (section.places.length === 0) continue;
    let min = Infinity;
    let max = -Infinity;
    for (const p of section.places) {
      min = Math.min(min, pos(p));
      max = Math.max(max, pos(p));
    }
    const centre = (min + max) / 2;
    for (const run of freeRuns(section.places)) {
      if (!largest || run.length > largest.size) {
        largest = { size: run.length, sectionName: section.sectionName, row: run[0].row, from: run[0].number, to: run[run.length - 1].number };
      }
      for (let start = 0; start + n <= run.length; start++) {
        const first = run[start];
        const last = run[start + n - 1];
        const score = first.rowRank * ROW_WEIGHT + Math.abs((pos(first) + pos(last)) / 2 - centre) * OFF_CENTRE_WEIGHT;
        const leavesOrphan = start === 1 || run.length - (start + n) === 1;
        const better =
          !best ||
          score < best.score - 1e-9 ||
          (Math.abs(score - best.score) <= 1e-9 &&
            (Number(leavesOrphan) - Number(best.leavesOrphan) || first.rowRank - best.seats[0].rowRank || section.position - best.sectionPos || first.number - best.seats[0].number) < 0);
        if (better) best = { seats: run.slice(start, start + n), score, leavesOrphan, sectionName: section.sectionName, sectionPos: section.position };
      }
    }
    if (best) break;
  }
  if (best) largest = undefined;
  return { choice: best, largest };
}
