// Sample data for `init --demo`: a theatre with reserved seating, a club with standing room,
// and events on sale from tomorrow, so a new user can sell a seat at once.
import type { CoreContext } from './context.js';
import { addVenue, generateGaSection, generateReservedBlock, findVenue } from './venues/venues.js';
import { addEvent, publishEvent } from './events/events.js';
import { setPrice } from './events/tiers.js';
import { BoxofficeError } from './errors.js';
import { writeUnique } from './unique.js';

const DEMO_VENUE = 'Riverside Theatre';

function dayFromNow(ctx: CoreContext, days: number, time: string): string {
  const d = new Date(ctx.clock.now().getTime() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

/**
 * Adds the demo venues and events unless they are there already; returns whether it added them.
 *
 * One transaction (the services below join it: writeTransaction), so the demo is there whole or
 * not at all, and several `init --demo` at once add it once. The rule: the unique index on the
 * demo venue's name (writeUnique). On SQLite the second waits for the write lock and finds the
 * venue; on PostgreSQL the second's insert of the venue waits for the first to commit, is refused
 * (23505), and its re-run finds the venue. Either way the second answers "already there".
 */
export async function seedDemo(outer: CoreContext): Promise<boolean> {
  return writeUnique(outer.db, async (trx) => {
    const ctx: CoreContext = { ...outer, db: trx };
    try {
      await findVenue(trx, DEMO_VENUE);
      return false;
    } catch (err) {
      if (!(err instanceof BoxofficeError && err.code === 'not_found')) throw err;
    }
    await addVenue(ctx, { name: DEMO_VENUE, city: 'Lisbon', timezone: 'Europe/Lisbon' });
    await generateReservedBlock(ctx, DEMO_VENUE, { section: 'Stalls', rows: 'A-L', seats: '1-20' });
    await generateReservedBlock(ctx, DEMO_VENUE, { section: 'Balcony', rows: 'A-E', seats: '1-16', zone: 'Balcony' });
    await addVenue(ctx, { name: 'The Cellar Club', city: 'Porto', timezone: 'Europe/Lisbon' });
    await generateGaSection(ctx, 'The Cellar Club', { section: 'Floor', capacity: 200 });

    const hamlet = await addEvent(ctx, { name: 'Hamlet', venue: DEMO_VENUE, starts: dayFromNow(ctx, 1, '20:00'), ends: dayFromNow(ctx, 1, '23:00'), type: 'theatre', currency: 'EUR' });
    await setPrice(ctx, String(hamlet.id), { tier: 'Adult', price: '25.00' });
    await setPrice(ctx, String(hamlet.id), { tier: 'Adult', price: '18.00', zone: 'Balcony' });
    await setPrice(ctx, String(hamlet.id), { tier: 'Child', price: '12.50' });
    await setPrice(ctx, String(hamlet.id), { tier: 'Child', price: '9.00', zone: 'Balcony' });
    await setPrice(ctx, String(hamlet.id), { tier: 'Concession', price: '18.00' });
    await publishEvent(ctx, String(hamlet.id));

    const jazz = await addEvent(ctx, { name: 'Late Jazz', venue: 'The Cellar Club', starts: dayFromNow(ctx, 2, '22:00'), type: 'music', currency: 'EUR' });
    await setPrice(ctx, String(jazz.id), { tier: 'Standing', price: '15' });
    await publishEvent(ctx, String(jazz.id));

    const matinee = await addEvent(ctx, { name: 'Hamlet (matinee)', venue: DEMO_VENUE, starts: dayFromNow(ctx, 7, '15:00'), type: 'theatre', currency: 'EUR' });
    await setPrice(ctx, String(matinee.id), { tier: 'Adult', price: '20.00' });
    return true;
  });
}
