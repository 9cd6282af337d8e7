import { describe, expect, it } from 'vitest';
import { bestAvailable, type SeatPlace, type SectionPlaces } from '../../src/core/inventory/best-available.js';

/** A section drawn as text: one string per row, front row first; `.` free, `x` taken. */
function section(rows: string[], name = 'Stalls', position = 0): SectionPlaces {
  const places: SeatPlace[] = [];
  let id = 1;
  rows.forEach((row, rank) => {
    [...row].forEach((ch, i) => {
      places.push({ seatId: id++, sectionId: position + 1, rowRank: rank, row: String.fromCharCode(65 + rank), number: i + 1, x: null, free: ch === '.' });
    });
  });
  return { sectionId: position + 1, sectionName: name, position, places };
}

const seats = (r: ReturnType<typeof bestAvailable>) => r.choice?.seats.map((s) => `${s.row}-${s.number}`);

describe('best available', () => {
  it('picks the front row, centred', () => {
    expect(seats(bestAvailable([section(['..........', '..........'])], 2))).toEqual(['A-5', 'A-6']);
  });

  it('prefers a centred seat one row back over an edge seat in front (one row = two seats off centre)', () => {
    const result = bestAvailable([section(['xxx....xxxxxxxxxxxxx', '....................'])], 2);
    // Front row block 4-5 is 5.5 seats off centre (10.5): score 2.75; row B 10-11 scores 1.
    expect(seats(result)).toEqual(['B-10', 'B-11']);
  });

  it('between equally good blocks, takes the one that leaves no lone empty seat', () => {
    // Nine seats, centre 5; seat 7 taken. Blocks 4-5 and 5-6 are equally off centre (0.5 seat):
    // 4-5 would strand seat 6 between 5 and 7, so 5-6 wins even though 4-5 comes first.
    const result = bestAvailable([section(['......x..'])], 2);
    expect(seats(result)).toEqual(['A-5', 'A-6']);
    expect(result.choice?.leavesOrphan).toBe(false);
  });

  it('the orphan rule works in both directions', () => {
    // Mirror image: seat 3 taken; 5-6 would strand seat 4, so 4-5 wins.
    expect(seats(bestAvailable([section(['..x......'])], 2))).toEqual(['A-4', 'A-5']);
  });

  it('refuses rather than split, naming the largest free block', () => {
    const result = bestAvailable([section(['..x..x...x', 'x..x..x..x'])], 4);
    expect(result.choice).toBeUndefined();
    expect(result.largest).toMatchObject({ size: 3, row: 'A', from: 7, to: 9 });
  });

  it('adjacent means consecutive numbers: a gap in numbering is an aisle', () => {
    const s = section(['....']);
    s.places[2].number = 10; // seats 1, 2, 10, 11
    s.places[3].number = 11;
    const result = bestAvailable([s], 3);
    expect(result.choice).toBeUndefined();
    expect(result.largest?.size).toBe(2);
  });

  it('takes sections in seat-map order: the balcony only when the stalls have no block', () => {
    const stalls = section(['xxxxxxxxxx', 'xxxxxxxxxx', '..........'], 'Stalls', 0);
    const balcony = section(['..........'], 'Balcony', 1);
    expect(bestAvailable([stalls, balcony], 2).choice?.sectionName).toBe('Stalls');
    expect(bestAvailable([stalls, balcony], 11).choice).toBeUndefined();
  });

  it('considers every section and keeps its name', () => {
    const result = bestAvailable([section(['xxxxxxxxxx']), section(['....'], 'Balcony', 1)], 2);
    expect(result.choice?.sectionName).toBe('Balcony');
  });

  it('handles an 80,000-seat stadium quickly', () => {
    const rows = Array.from({ length: 200 }, (_, r) => (r < 150 ? 'x'.repeat(400) : '.'.repeat(400)));
    const t = performance.now();
    const result = bestAvailable([section(rows)], 6);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(result.choice?.seats[0].rowRank).toBe(150);
  });
});
