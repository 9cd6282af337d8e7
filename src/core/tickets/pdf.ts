// Ticket PDFs with pdfkit: each ticket with its event, place, price, order and a vector QR code
// of its code. Pages are written to the output as they are finished (pdfkit flushes a page when
// the next one starts), and rendering waits for the output to drain, so a whole event's tickets
// stream to disk without sitting in memory. pdfkit and qrcode load only when a PDF is made.
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { currencyDigits } from '../money.js';
import { invalid } from '../errors.js';
import { writeOutputStream, type OutputOptions } from '../output-file.js';
import { FONT_BOLD, FONT_REGULAR, ticketLabels, type TicketLabels } from './assets.js';
import type { PrintableTicket } from './printable.js';

export type TicketLayout = 'a4' | 'stock';
const LAYOUTS: readonly TicketLayout[] = ['a4', 'stock'];

export function parseLayout(input: string | undefined): TicketLayout {
  if (input === undefined) return 'a4';
  const layout = input.trim().toLowerCase();
  if (!(LAYOUTS as readonly string[]).includes(layout)) throw invalid(`unknown layout ${JSON.stringify(input)}`, `use one of: ${LAYOUTS.join(', ')}`);
  return layout as TicketLayout;
}

export interface RenderOptions {
  layout: TicketLayout;
  /** Language of the printed labels, dates and money (en, pt). */
  lang: string;
  title?: string;
}

export interface RenderResult {
  tickets: number;
  pages: number;
}

type Doc = PDFKit.PDFDocument;
type QrFactory = (text: string) => { size: number; data: ArrayLike<number> };

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Sizes of one ticket's parts; a layout scales them to its paper. */
interface Metrics {
  pad: number;
  /** The QR code's square including its quiet zone of four modules on every side. */
  qr: number;
  eventSize: number;
  eventMin: number;
  textSize: number;
  smallSize: number;
  captionSize: number;
  placeSize: number;
  codeSize: number;
  gap: number;
}

interface LayoutSpec {
  /** Page size in points. */
  page: [number, number];
  perPage: number;
  cell(slot: number): Box;
  metrics: Metrics;
  /** Drawn once a page's tickets are on it: cut marks for the A4 sheet. */
  finishPage?(doc: Doc, used: number): void;
}

const MM = 72 / 25.4;

// A4: four tickets a page, each 523 × 192 pt (about 185 × 68 mm), with cut marks in the margins.
const A4_W = 595.28;
const A4_H = 841.89;
const A4_MARGIN = 36;
const A4_ROWS = 4;
const A4_CELL_H = (A4_H - 2 * A4_MARGIN) / A4_ROWS;

const a4: LayoutSpec = {
  page: [A4_W, A4_H],
  perPage: A4_ROWS,
  cell: (slot) => ({ x: A4_MARGIN, y: A4_MARGIN + slot * A4_CELL_H, w: A4_W - 2 * A4_MARGIN, h: A4_CELL_H }),
  metrics: { pad: 18, qr: 168, eventSize: 18, eventMin: 10, textSize: 11, smallSize: 9.5, captionSize: 7, placeSize: 16, codeSize: 7, gap: 6 },
  finishPage(doc, used) {
    const x0 = A4_MARGIN;
    const x1 = A4_W - A4_MARGIN;
    const yTop = A4_MARGIN;
    const yBottom = A4_MARGIN + used * A4_CELL_H;
    const off = 4;
    const len = 16;
    doc.save().lineWidth(0.5).strokeColor('#000000');
    for (let i = 0; i <= used; i++) {
      const y = A4_MARGIN + i * A4_CELL_H;
      doc
        .moveTo(x0 - off - len, y)
        .lineTo(x0 - off, y)
        .stroke();
      doc
        .moveTo(x1 + off, y)
        .lineTo(x1 + off + len, y)
        .stroke();
    }
    for (const x of [x0, x1]) {
      doc
        .moveTo(x, yTop - off - len)
        .lineTo(x, yTop - off)
        .stroke();
      doc
        .moveTo(x, yBottom + off)
        .lineTo(x, yBottom + off + len)
        .stroke();
    }
    doc.restore();
  },
};

// Ticket stock: one per page on the common thermal ticket size, 5.5 × 2 in (140 × 51 mm),
// landscape, as Boca-style ticket printers take it.
const STOCK_W = 5.5 * 72;
const STOCK_H = 2 * 72;
const stock: LayoutSpec = {
  page: [STOCK_W, STOCK_H],
  perPage: 1,
  cell: () => ({ x: 0, y: 0, w: STOCK_W, h: STOCK_H }),
  metrics: { pad: 3 * MM, qr: 128, eventSize: 12, eventMin: 7, textSize: 8, smallSize: 7, captionSize: 5, placeSize: 10, codeSize: 5, gap: 2.5 },
};

const LAYOUT_SPECS: Record<TicketLayout, LayoutSpec> = { a4, stock };

/** Text in one line within `width`: shrinks the font down to `min`, then shortens with an ellipsis. */
function fitLine(doc: Doc, text: string, font: string, size: number, min: number, width: number): { text: string; size: number; width: number } {
  // Width grows in proportion to the size: measure once, then pick the size.
  const atOne = doc.font(font).fontSize(1).widthOfString(text);
  let s = size;
  while (s > min && atOne * s > width) s -= 0.5;
  doc.fontSize(s);
  if (atOne * s <= width) return { text, size: s, width: atOne * s };
  const chars = Array.from(text);
  let shortened = `${text}…`;
  while (chars.length > 1 && doc.widthOfString((shortened = `${chars.join('').trimEnd()}…`)) > width) chars.pop();
  return { text: shortened, size: s, width: doc.widthOfString(shortened) };
}

function line(doc: Doc, text: string, x: number, y: number, width: number, font: string, size: number, min = size, color = '#000000', align: 'left' | 'center' = 'left'): number {
  const fitted = fitLine(doc, text, font, size, min, width);
  const left = align === 'center' ? x + (width - fitted.width) / 2 : x;
  // No `width` option: the text is already fitted, and pdfkit's line wrapper (built for every
  // call that has a width) is most of the cost of setting a line.
  doc.fillColor(color).text(fitted.text, left, y, { lineBreak: false });
  return y + fitted.size * 1.25;
}

/** Modules of clear space a scanner needs around the code (the QR standard's quiet zone). */
const QUIET_ZONE = 4;

/**
 * Draws a QR code as filled squares, one rectangle per horizontal run of dark modules, inside a
 * `side`-wide square that keeps the quiet zone clear.
 */
function drawQr(doc: Doc, qr: { size: number; data: ArrayLike<number> }, x: number, y: number, side: number): void {
  const n = qr.size;
  const m = side / (n + 2 * QUIET_ZONE);
  const x0 = x + QUIET_ZONE * m;
  const y0 = y + QUIET_ZONE * m;
  doc.save();
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.data[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.data[r * n + c]) c++;
      // A hair of overlap so no seam shows between rows when the page is rasterised.
      doc.rect(x0 + start * m, y0 + r * m, (c - start) * m, m + 0.02);
    }
  }
  doc.fillColor('#000000').fill();
  doc.restore();
}

/** The start in the venue's time zone, written out: `Monday 1 March 2027 at 20:00`. */
export function ticketTime(isoUtc: string, timeZone: string, locale: string): string {
  // Making an Intl formatter costs far more than using one: keep one per zone and language.
  const key = `${locale}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'full', timeStyle: 'short', hourCycle: 'h23' });
    dateFormats.set(key, format);
  }
  return format.format(new Date(isoUtc));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Money as printed on a ticket, e.g. `€25.00` or `25,00 €` (formatMoney with the formatter kept). */
function ticketPrice(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format.format(minor / 10 ** currencyDigits(currency));
}

/** A ticket code in groups of four, easier to read aloud and type; normalising removes the spaces. */
function groupedCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}

function drawTicket(doc: Doc, t: PrintableTicket, box: Box, m: Metrics, labels: TicketLabels, qrOf: QrFactory): void {
  // The QR square (quiet zone included) sits at the right; its clear margin may use the padding.
  const qrX = box.x + box.w - m.pad / 2 - m.qr;
  const qrY = box.y + (box.h - m.qr - m.codeSize * 1.4) / 2;
  const textX = box.x + m.pad;
  const stubX = qrX - m.pad / 4;
  const textW = stubX - m.pad / 2 - textX;

  // A perforation-style line between the ticket's text and its code, outside the quiet zone.
  doc
    .save()
    .lineWidth(0.5)
    .strokeColor('#999999')
    .dash(2, { space: 2 })
    .moveTo(stubX, box.y + m.pad / 2)
    .lineTo(stubX, box.y + box.h - m.pad / 2)
    .stroke()
    .undash()
    .restore();

  let y = box.y + m.pad * 0.8;
  y = line(doc, t.event.name, textX, y, textW, 'bold', m.eventSize, m.eventMin);
  y = line(doc, ticketTime(t.event.startsAt, t.event.timezone, labels.locale), textX, y, textW, 'regular', m.textSize, m.textSize * 0.8);
  y = line(doc, [t.event.venue, t.event.city].filter(Boolean).join(' · '), textX, y, textW, 'regular', m.smallSize, m.smallSize * 0.8, '#444444');
  y += m.gap;

  // The place: section, row and seat as captioned columns, or the GA section.
  const columns: [string, string][] =
    t.row !== null && t.number !== null
      ? [
          [labels.section, t.section],
          [labels.row, t.row],
          [labels.seat, String(t.number)],
        ]
      : [[labels.section, `${t.section} · ${labels.generalAdmission}`]];
  let cx = textX;
  const colW = columns.length === 1 ? textW : [textW * 0.5, textW * 0.25, textW * 0.25];
  columns.forEach(([caption, value], i) => {
    const w = Array.isArray(colW) ? colW[i] : colW;
    line(doc, caption.toUpperCase(), cx, y, w - 4, 'regular', m.captionSize, m.captionSize, '#666666');
    line(doc, value, cx, y + m.captionSize * 1.3, w - 4, 'bold', m.placeSize, m.placeSize * 0.6);
    cx += w;
  });
  y += m.captionSize * 1.3 + m.placeSize * 1.3 + m.gap;

  y = line(doc, `${t.tier} · ${ticketPrice(t.price, t.currency, labels.locale)}`, textX, y, textW, 'regular', m.textSize, m.textSize * 0.8);
  if (t.holderName) y = line(doc, `${labels.holder}: ${t.holderName}`, textX, y, textW, 'regular', m.textSize, m.textSize * 0.7);
  y = line(doc, `${labels.order} ${t.orderCode}`, textX, y, textW, 'bold', m.textSize, m.textSize * 0.8);
  if (y + m.captionSize * 1.3 < box.y + box.h - m.pad / 2) line(doc, labels.scan, textX, box.y + box.h - m.pad * 0.8 - m.captionSize, textW, 'regular', m.captionSize, m.captionSize * 0.8, '#666666');

  drawQr(doc, qrOf(t.code), qrX, qrY, m.qr);
  line(doc, groupedCode(t.code), qrX, qrY + m.qr, m.qr, 'regular', m.codeSize, m.codeSize * 0.8, '#333333', 'center');
}

/**
 * pdfkit caches the layout of every word it has set, for ever: with ten thousand different
 * ticket codes and names that cache is what would grow with the PDF. Turning it off
 * (`fontLayoutCache: false`) makes rendering twice as slow, so it is emptied now and then instead.
 */
function trimLayoutCaches(doc: Doc): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies;
  for (const font of Object.values(families ?? {})) {
    if (font.layoutCache) font.layoutCache = Object.create(null) as object;
  }
}

/**
 * A full garbage collection, when the runtime lets us have one. Setting ten thousand tickets
 * makes a lot of short-lived garbage and V8 lets the heap grow far past the little that is live
 * before it collects; collecting every few pages keeps a whole event's PDF within a flat,
 * predictable amount of memory. (jest's leak detector gets `gc` the same way.)
 */
function collector(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** How often a big PDF trims pdfkit's caches and collects garbage (a full GC costs a few ms). */
const COLLECT_EVERY_TICKETS = 400;

/** Lets the output take what pdfkit has produced before more is drawn: memory stays bounded. */
async function breathe(doc: Doc, out: Writable): Promise<void> {
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (out.writableNeedDrain) {
      await once(out, 'drain');
      continue;
    }
    if ((doc as unknown as { readableLength: number }).readableLength < 256 * 1024) return;
  }
}

/**
 * Renders tickets into a PDF written to `out`, page by page. The caller ends nothing: `out` is
 * ended when the PDF is complete unless `keepOpen` (for stdout).
 */
export async function renderTicketsPdf(tickets: AsyncIterable<PrintableTicket> | Iterable<PrintableTicket>, out: Writable, options: RenderOptions & { keepOpen?: boolean }): Promise<RenderResult> {
  const [{ default: PDFDocument }, qrcode] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const create =
    (qrcode as unknown as { create?: typeof import('qrcode').create; default?: { create: typeof import('qrcode').create } }).create ??
    (qrcode as unknown as { default: { create: typeof import('qrcode').create } }).default.create;
  const qrOf: QrFactory = (text) => {
    const q = create(text, { errorCorrectionLevel: 'M' });
    return { size: q.modules.size, data: q.modules.data };
  };
  const spec = LAYOUT_SPECS[options.layout];
  const labels = ticketLabels(options.lang);
  const doc = new PDFDocument({
    size: spec.page,
    margin: 0,
    autoFirstPage: false,
    info: { Title: options.title ?? 'Tickets', Creator: 'boxoffice', Producer: 'boxoffice (pdfkit)' },
  });
  doc.registerFont('regular', FONT_REGULAR());
  doc.registerFont('bold', FONT_BOLD());
  const piping = pipeline(doc, out, { end: !options.keepOpen });
  let count = 0;
  let pages = 0;
  let slot = spec.perPage;
  // Only a big PDF needs the collector: an order's few pages never reach the first call.
  let gc: (() => void) | undefined;
  let gcLoaded = false;
  let collectedAt = 0;
  const collect = () => {
    if (!gcLoaded) {
      gc = collector();
      gcLoaded = true;
    }
    gc?.();
  };
  try {
    for await (const t of tickets) {
      if (slot === spec.perPage) {
        if (pages > 0) {
          spec.finishPage?.(doc, slot);
          if (count - collectedAt >= COLLECT_EVERY_TICKETS) {
            trimLayoutCaches(doc);
            collect();
            collectedAt = count;
          }
          await breathe(doc, out);
        }
        doc.addPage({ size: spec.page, margin: 0 });
        pages++;
        slot = 0;
      }
      drawTicket(doc, t, spec.cell(slot), spec.metrics, labels, qrOf);
      slot++;
      count++;
    }
    if (pages === 0) {
      // Never an empty file: one page saying so (callers refuse earlier when they can).
      doc.addPage({ size: spec.page, margin: 0 });
      pages = 1;
      doc.font('regular').fontSize(12).text('No tickets.', 36, 36);
    } else {
      spec.finishPage?.(doc, slot);
    }
  } catch (err) {
    doc.end();
    await piping.catch(() => undefined);
    throw err;
  }
  doc.end();
  await piping;
  return { tickets: count, pages };
}

/** Renders into memory: for an order's tickets (an email attachment), never for a whole event. */
export async function renderTicketsPdfBuffer(tickets: Iterable<PrintableTicket> | AsyncIterable<PrintableTicket>, options: RenderOptions): Promise<{ pdf: Buffer } & RenderResult> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const result = await renderTicketsPdf(tickets, sink, options);
  return { pdf: Buffer.concat(chunks), ...result };
}

/**
 * Renders into `file` as every output file is written (output-file.ts): private, through a temp
 * file beside it renamed into place when complete, never through a link or over a file without
 * `force`. A failure or a kill never leaves half a PDF under the name asked for.
 */
export async function renderTicketsPdfFile(
  tickets: Iterable<PrintableTicket> | AsyncIterable<PrintableTicket>,
  file: string,
  options: RenderOptions & OutputOptions,
): Promise<{ file: string; bytes: number } & RenderResult> {
  const written = await writeOutputStream(file, options, (out) => renderTicketsPdf(tickets, out, options));
  return { file: written.file, bytes: written.bytes, ...written.result };
}
