// The sale at the window, across its screens: the pick, the order holding it and the paid result.
// Whoever runs the TUI is told when a hold starts or ends (a signal releases it too), and leaving
// the sale releases its hold: nothing stays held behind a closed till.
import { useCallback, useEffect } from 'react';
import type { Services } from '../services.js';
import { emptySale, saleReducer, type SaleAction, type SaleState } from '../state/sale.js';
import { useSyncReducer } from './use-sync-reducer.js';

export interface Sale {
  sale: SaleState;
  saleDispatch(action: SaleAction): SaleState;
  currentSale(): SaleState;
  /** Releases the pending hold, if any; one that expired or was paid meanwhile is let be. */
  releaseHold(): Promise<void>;
}

export function useSale(services: Services | null, onHoldChange?: (release: (() => Promise<void>) | null) => void): Sale {
  const [sale, saleDispatch, currentSale] = useSyncReducer(saleReducer, emptySale);

  const heldCode = sale.order?.code ?? null;
  useEffect(() => {
    onHoldChange?.(heldCode && services ? () => services.release(heldCode) : null);
  }, [heldCode, services, onHoldChange]);

  const releaseHold = useCallback(async () => {
    const held = currentSale().order;
    if (!held || !services) return;
    try {
      await services.release(held.code);
    } catch {
      // It may have expired or been paid meanwhile; either way nothing is left to release.
    }
    saleDispatch({ type: 'released' });
  }, [currentSale, services, saleDispatch]);

  return { sale, saleDispatch, currentSale, releaseHold };
}
