// The box-office TUI: login → events → seat map → cart → payment → receipt → next sale, and door
// mode. Loaded only by `boxoffice ui` (ink and react never load for other commands).
import { useMemo, useState } from 'react';
import { render } from 'ink';
import type { Actor } from '../core/staff/permissions.js';
import type { TierView } from '../core/events/tiers.js';
import type { OrderView } from '../core/orders/view.js';
import type { AuthServices, EventSummary, Services } from './services.js';
import { ThemeProvider } from './theme.js';
import { FixedSizeProvider, type TerminalSize } from './hooks/use-terminal-size.js';
import { useSale } from './hooks/use-sale.js';
import { useMailRetry } from './hooks/use-mail-retry.js';
import { useQuit } from './hooks/use-quit.js';
import type { NoticeData } from './components/notice.js';
import { LoginScreen } from './screens/login.js';
import { EventPicker } from './screens/event-picker.js';
import { SeatMapScreen } from './screens/seat-map.js';
import { CartScreen } from './screens/cart.js';
import { PaymentScreen } from './screens/payment.js';
import { ReceiptScreen } from './screens/receipt.js';
import { DoorScreen } from './screens/door.js';

type Route =
  | { screen: 'login'; notice?: NoticeData | null }
  | { screen: 'events'; notice?: NoticeData | null }
  | { screen: 'map' | 'cart' | 'payment' | 'receipt' | 'door'; event: EventSummary; notice?: NoticeData | null };

export interface AppProps {
  /** Who is at the till already (single-user, or BOXOFFICE_OPERATOR); null shows the PIN login. */
  actor: Actor | null;
  auth: AuthServices;
  makeServices(actor: Actor): Services;
  color: boolean;
  /** Fixes the size (tests); otherwise the terminal's, following resizes. */
  size?: TerminalSize;
  pollMs?: number;
  /** The door's gate, if known; otherwise door mode asks. */
  gate?: string | null;
  /** How often queued mail that is due is retried in the background (SPEC: mail). */
  mailRetryMs?: number;
  /** Told whenever the pending hold changes, with a way to release it, so a signal can too. */
  onHoldChange?(release: (() => Promise<void>) | null): void;
}

export function App(props: AppProps) {
  return (
    <ThemeProvider color={props.color}>
      <FixedSizeProvider size={props.size}>
        <Router {...props} />
      </FixedSizeProvider>
    </ThemeProvider>
  );
}

function Router({ actor: initialActor, auth, makeServices, pollMs = 1000, gate = null, onHoldChange, mailRetryMs = 60_000 }: AppProps) {
  const [actor, setActor] = useState<Actor | null>(initialActor);
  const [route, setRoute] = useState<Route>(initialActor ? { screen: 'events' } : { screen: 'login' });
  const [tiers, setTiers] = useState<TierView[]>([]);
  const services = useMemo(() => (actor ? makeServices(actor) : null), [actor, makeServices]);
  const { sale, saleDispatch, currentSale, releaseHold } = useSale(services, onHoldChange);
  useMailRetry(services?.tickets.retryDueMail, mailRetryMs);
  useQuit(releaseHold);

  const open = (event: EventSummary, mode: 'sell' | 'door') => {
    saleDispatch({ type: 'next' });
    setRoute({ screen: mode === 'door' ? 'door' : 'map', event });
  };

  if (!services || route.screen === 'login') {
    return (
      <LoginScreen
        login={auth.login}
        notice={route.screen === 'login' ? route.notice : null}
        onLoggedIn={(a) => {
          setActor(a);
          setRoute({ screen: 'events', notice: { kind: 'ok', text: `Logged in as ${a.name} (${a.role})` } });
        }}
      />
    );
  }

  switch (route.screen) {
    case 'events':
      return (
        <EventPicker
          key={`events-${services.actor.name}`}
          services={services}
          notice={route.notice}
          onOpen={open}
          onLogout={
            initialActor
              ? undefined
              : () => {
                  saleDispatch({ type: 'next' });
                  setActor(null);
                  setRoute({ screen: 'login', notice: { kind: 'info', text: 'Logged out' } });
                }
          }
        />
      );
    case 'map':
      return (
        <SeatMapScreen
          services={services}
          event={route.event}
          sale={sale}
          saleDispatch={saleDispatch}
          currentSale={currentSale}
          notice={route.notice}
          pollMs={pollMs}
          onBack={() => {
            saleDispatch({ type: 'next' });
            setRoute({ screen: 'events' });
          }}
          onHeld={(order: OrderView, t: TierView[]) => {
            saleDispatch({ type: 'held', order });
            setTiers(t);
            setRoute({ screen: 'cart', event: route.event });
          }}
        />
      );
    case 'cart':
      if (!sale.order) return null;
      return (
        <CartScreen
          services={services}
          event={route.event}
          order={sale.order}
          tiers={tiers}
          saleDispatch={saleDispatch}
          currentSale={currentSale}
          notice={route.notice}
          onPay={() => setRoute({ screen: 'payment', event: route.event })}
          onReleased={(notice) => setRoute({ screen: 'map', event: route.event, notice })}
        />
      );
    case 'payment':
      if (!sale.order) return null;
      return (
        <PaymentScreen
          services={services}
          event={route.event}
          order={sale.order}
          onBack={(notice) => setRoute({ screen: 'cart', event: route.event, notice })}
          onPaid={(result) => {
            saleDispatch({ type: 'paid', result });
            setRoute({ screen: 'receipt', event: route.event });
          }}
        />
      );
    case 'receipt':
      if (!sale.result) return null;
      return (
        <ReceiptScreen
          services={services}
          event={route.event}
          result={sale.result}
          onNext={() => {
            saleDispatch({ type: 'next' });
            setRoute({ screen: 'map', event: route.event });
          }}
          onEvents={() => {
            saleDispatch({ type: 'next' });
            setRoute({ screen: 'events' });
          }}
        />
      );
    case 'door':
      return <DoorScreen services={services} event={route.event} gate={gate} onBack={() => setRoute({ screen: 'events' })} />;
  }
}

export interface RunOptions extends Omit<AppProps, 'size' | 'onHoldChange'> {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** Runs the TUI full-screen until the operator quits; resolves with the exit code. */
export async function runTui(options: RunOptions): Promise<number> {
  const { stdin, stdout, ...app } = options;
  let release: (() => Promise<void>) | null = null;
  let code = 0;
  // The alternate screen: the shell's scrollback is left as it was when the TUI closes.
  stdout.write('\u001b[?1049h\u001b[H');
  const instance = render(<App {...app} onHoldChange={(r) => (release = r)} />, { stdin, stdout, exitOnCtrlC: false, patchConsole: true });
  // A closed terminal or a kill leaves no hold behind either.
  const onSignal = (signal: NodeJS.Signals) => {
    void (release ? release().catch(() => undefined) : Promise.resolve()).finally(() => {
      code = signal === 'SIGINT' ? 130 : 143;
      instance.unmount();
    });
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const s of signals) process.on(s, onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
    stdout.write('\u001b[?1049l');
  }
  return code;
}
