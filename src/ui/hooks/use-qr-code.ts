// A ticket code's QR as text, made once the receipt is on screen (qrcode-terminal loads then).
import { useEffect, useState } from 'react';

/** The QR code as text, from qrcode-terminal, which loads only when a receipt is shown. */
export async function qrText(code: string): Promise<string> {
  const { default: qrcode } = await import('qrcode-terminal');
  return new Promise((resolve) => qrcode.generate(code, { small: true }, (qr) => resolve(qr.replace(/\n+$/, ''))));
}

/** null until the QR is made, or when there is no code. */
export function useQrCode(code: string | undefined): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (code) void qrText(code).then((text) => live && setQr(text));
    return () => {
      live = false;
    };
  }, [code]);
  return qr;
}
