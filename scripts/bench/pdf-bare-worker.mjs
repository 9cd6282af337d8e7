// The PDF baseline: bare pdfkit drawing N tickets' QR codes (the same vector QR as the real
// tickets: qrcode's modules, level M, one rectangle per run of dark modules, a four-module quiet
// zone) and each code in text, four to an A4 page, streamed to a file. No database, no layout.
//
//   node scripts/bench/pdf-bare-worker.mjs <tickets> <out.pdf>
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { newTicketCode } from '../../dist/core/codes.js';
import { FONT_REGULAR } from '../../dist/core/tickets/assets.js';

const count = Number(process.argv[2]);
const out = process.argv[3];
const W = 595.28;
const H = 841.89;
const M = 36;
const CELL = (H - 2 * M) / 4;
const QR = 168;

const doc = new PDFDocument({ size: [W, H], margin: 0, autoFirstPage: false });
doc.registerFont('regular', FONT_REGULAR());
const done = new Promise((resolve, reject) => {
  const file = fs.createWriteStream(out);
  file.on('finish', resolve).on('error', reject);
  doc.pipe(file);
});
for (let i = 0; i < count; i++) {
  if (i % 4 === 0) doc.addPage({ size: [W, H], margin: 0 });
  const code = newTicketCode();
  const { size: n, data } = QRCode.create(code, { errorCorrectionLevel: 'M' }).modules;
  const x = W - M - QR;
  const y = M + (i % 4) * CELL + 8;
  const m = QR / (n + 8);
  doc.save();
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!data[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && data[r * n + c]) c++;
      doc.rect(x + (4 + start) * m, y + (4 + r) * m, (c - start) * m, m + 0.02);
    }
  }
  doc.fillColor('#000000').fill().restore();
  doc
    .font('regular')
    .fontSize(7)
    .text(code, x, y + QR, { lineBreak: false });
}
doc.end();
await done;
process.stdout.write(`${JSON.stringify({ tickets: count, bytes: fs.statSync(out).size })}\n`);
