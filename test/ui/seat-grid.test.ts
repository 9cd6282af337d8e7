// The seat map's geometry without a terminal: cursor moves, the scrolled window, best-N prompt,
// and the key helpers every screen relies on.
import { describe, expect, it } from 'vitest';
import type { ReservedSectionView } from '../../src/core/inventory/availability.js';
import { buildGrid, follow, followCursor, initialCursor, moveCursor, seatAt } from '../../src/ui/state/seat-grid.js';
import { emptySeatMap, seatMapReducer } from '../../src/ui/state/seat-map.js';
import { typedKeys } from '../../src/ui/key-bindings.js';
import { splitBurst } from '../../src/ui/hooks/use-keys.js';
import { gaTierCounts, saleReducer, emptySale } from '../../src/ui/state/sale.js';
import { newPayment, paymentReducer, paymentRequest, tenderedProblem } from '../../src/ui/state/payment.js';

function section(rows: string[], seats: number[], status: (row: string, n: number) => 'available' | 'sold' = () => 'available'): ReservedSectionView {
  return {
    id: 1,
    name: 'Stalls',
    kind: 'reserved',
    capacity: rows.length * seats.length,
    available: 0,
    held: 0,
    sold: 0,
    blocked: 0,
    seats: rows.flatMap((row) => seats.map((number) => ({ seat: `${row}-${number}`, row, number, zone: null, status: status(row, number), accessible: false, obstructed: false, x: null, y: null }))),
  };
}

describe('seat grid', () => {
  it('groups seats into rows with a column per seat number', () => {
    const grid = buildGrid(section(['A', 'B'], [3, 4, 5, 7]));
    expect(grid.rows.map((r) => r.label)).toEqual(['A', 'B']);
    expect(grid.columns).toBe(5);
    expect(grid.rows[0].seats.map((s) => s.col)).toEqual([0, 1, 2, 4]);
  });

  it('moves up and down to the nearest seat by column, and stops at the edges', () => {
    const grid = buildGrid({ ...section(['A'], [1, 2, 3, 4, 5, 6]), seats: [...section(['A'], [1, 2, 3, 4, 5, 6]).seats, ...section(['B'], [5, 6]).seats] });
    let c = { row: 0, seat: 0 };
    c = moveCursor(grid, c, 'down', 10);
    expect(seatAt(grid, c)?.label).toBe('B-5');
    c = moveCursor(grid, c, 'down', 10);
    expect(seatAt(grid, c)?.label).toBe('B-5');
    c = moveCursor(grid, c, 'right', 10);
    c = moveCursor(grid, c, 'right', 10);
    expect(seatAt(grid, c)?.label).toBe('B-6');
    c = moveCursor(grid, c, 'up', 10);
    expect(seatAt(grid, c)?.label).toBe('A-6');
  });

  it('keeps the cursor in a window that moves as little as it can', () => {
    expect(follow(0, 5, 10, 100)).toBe(0);
    expect(follow(0, 10, 10, 100)).toBe(1);
    expect(follow(50, 20, 10, 100)).toBe(20);
    expect(follow(95, 99, 10, 100)).toBe(90);
    const grid = buildGrid(
      section(
        Array.from({ length: 100 }, (_, i) => `R${i + 1}`),
        Array.from({ length: 200 }, (_, i) => i + 1),
      ),
    );
    const far = { row: 80, seat: 150 };
    expect(followCursor(grid, far, { top: 0, left: 0 }, 20, 50)).toEqual({ top: 61, left: 101 });
  });

  it('starts the cursor on the middle free seat of the front row', () => {
    const grid = buildGrid(section(['A', 'B'], [1, 2, 3, 4, 5], (row) => (row === 'A' ? 'sold' : 'available')));
    expect(seatAt(grid, initialCursor(grid))?.label).toBe('B-3');
  });

  it('pages through a 20,000-seat section and centres it the first time it is shown', () => {
    const big = section(
      Array.from({ length: 100 }, (_, i) => String(i + 1)),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    let s = seatMapReducer(emptySeatMap, { type: 'data', sections: [big] });
    s = seatMapReducer(s, { type: 'view', viewRows: 20, viewCols: 50 });
    expect(s.scrolls[0]).toEqual({ top: 0, left: 75 });
    for (let i = 0; i < 10; i++) s = seatMapReducer(s, { type: 'move', move: 'pageDown', viewRows: 20, viewCols: 50 });
    expect(s.cursors[0].row).toBe(99);
    expect(s.scrolls[0].top).toBe(80);
  });

  it('reads only digits into the best-N prompt', () => {
    let s = seatMapReducer(emptySeatMap, { type: 'bestOpen', initial: '' });
    s = seatMapReducer(s, { type: 'bestType', text: '1x2' });
    expect(s.bestPrompt).toBe('12');
    s = seatMapReducer(s, { type: 'bestBackspace' });
    expect(s.bestPrompt).toBe('1');
  });
});

describe('keys', () => {
  it('splits a scanner burst into text, backspace, tab and Enter', () => {
    expect(typedKeys('AB\u007fC\tD\r')).toEqual([{ kind: 'text', text: 'AB' }, { kind: 'backspace' }, { kind: 'text', text: 'C' }, { kind: 'tab' }, { kind: 'text', text: 'D' }, { kind: 'submit' }]);
  });

  it('splits a burst of plain keys into single keys as Ink would describe them', () => {
    const keys = splitBurst('b3\r', {} as never);
    expect(keys.map(([i]) => i)).toEqual(['b', '3', '\r']);
    expect(keys[2][1].return).toBe(true);
    expect(splitBurst('\u001b[A', { upArrow: true } as never)).toHaveLength(1);
  });
});

describe('sale and payment state', () => {
  it('a seat pick and a standing pick exclude each other', () => {
    let s = saleReducer(emptySale, { type: 'toggleSeat', seat: 'A-1' });
    s = saleReducer(s, { type: 'gaStep', sectionId: 2, section: 'Floor', tier: 'Adult', delta: 2 });
    expect(s.seats).toEqual([]);
    s = saleReducer(s, { type: 'gaStep', sectionId: 2, section: 'Floor', tier: 'Child', delta: 1 });
    expect(gaTierCounts(s.ga!, ['Adult', 'Child'])).toEqual([
      { name: 'Adult', count: 2 },
      { name: 'Child', count: 1 },
    ]);
    s = saleReducer(s, { type: 'toggleSeat', seat: 'A-2' });
    expect(s.ga).toBeNull();
  });

  it('keeps one idempotency key for the whole attempt and builds the core request', () => {
    let p = newPayment('key-1');
    // What is typed is kept as typed (never silently cleaned up), and what the core would refuse is explained.
    p = paymentReducer(p, { type: 'type', text: '5x0.00' });
    expect(p.tendered).toBe('5x0.00');
    expect(tenderedProblem(p.tendered, 'EUR')).toMatch(/^type the amount in digits/);
    expect(tenderedProblem('60,5', 'EUR')).toBe('use a dot for decimals: 60.50');
    expect(tenderedProblem('1,250.00', 'EUR')).toMatch(/^no thousands separators/);
    expect(tenderedProblem('60.', 'EUR')).toMatch(/decimals go after the dot/);
    expect(tenderedProblem('', 'EUR')).toBeNull();
    expect(tenderedProblem('1500', 'JPY')).toBeNull();
    expect(tenderedProblem('15.5', 'JPY')).toMatch(/more decimals than JPY allows/);
    p = newPayment('key-1');
    p = paymentReducer(p, { type: 'type', text: '50.00' });
    expect(tenderedProblem(p.tendered, 'EUR')).toBeNull();
    expect(paymentRequest(p, 'EUR')).toEqual({ method: 'cash', tendered: 5000 });
    p = paymentReducer(p, { type: 'method', method: 'card', advance: true });
    p = paymentReducer(p, { type: 'type', text: 'T-99' });
    p = paymentReducer(p, { type: 'failed', message: 'declined' });
    expect(paymentRequest(p, 'EUR')).toEqual({ method: 'card', cardRef: 'T-99' });
    expect(p.key).toBe('key-1');
  });
});
