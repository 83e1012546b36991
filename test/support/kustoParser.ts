// Microsoft's own KQL parser and semantic analyzer (Kusto.Language, from @kusto/language-service-next), set up
// with the real DeviceNetworkEvents schema. Tests use it to prove that every query the product emits is valid
// KQL for that schema. It is slow to load (~1 s), so it is loaded once per process, lazily.
import { createRequire } from 'node:module';
import { deviceNetworkEventsColumns, DEVICE_NETWORK_EVENTS } from '../../src/schema/deviceNetworkEvents.js';

export interface KustoDiagnostic {
  severity: string;
  start: number;
  length: number;
  message: string;
}

// The bridge defines a global `Kusto` namespace with no usable types for strict TS; keep `any` contained here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KustoNs = any;

let globalsCache: { K: KustoNs; globals: KustoNs } | undefined;

function load(): { K: KustoNs; globals: KustoNs } {
  if (globalsCache) return globalsCache;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.js');
  require('@kusto/language-service-next');
  const K = (globalThis as unknown as { Kusto: KustoNs }).Kusto.Language;
  const S = K.Symbols;
  const schema = `(${deviceNetworkEventsColumns.map((c) => `${c.name}:${c.type}`).join(', ')})`;
  const table = S.TableSymbol.From(schema).WithName(DEVICE_NETWORK_EVENTS);
  // A watchlist's `_GetWatchlist('alias')` is a Sentinel workspace function; declare it as Sentinel does,
  // returning SearchKey plus dynamic columns, so exported watchlist queries are analyzed too.
  const getWatchlist = new S.FunctionSymbol.$ctor16(
    '_GetWatchlist',
    '(watchlistAlias:string)',
    '{ datatable(SearchKey:string, _DTItemId:string, LastUpdatedTimeUTC:datetime, WatchlistItem:dynamic)[] }',
    null,
  );
  const db = new S.DatabaseSymbol.$ctor1('db', [table, getWatchlist], false);
  globalsCache = { K, globals: K.GlobalState.Default.WithDatabase(db) };
  return globalsCache;
}

/** Every diagnostic (syntax and semantic) Microsoft's analyzer reports for `query`. */
export function kustoDiagnostics(query: string): KustoDiagnostic[] {
  const { K, globals } = load();
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const list = code.GetDiagnostics();
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({ severity: String(d.Severity), start: d.Start, length: d.Length, message: String(d.Message) });
  }
  return out;
}

/** Errors only, formatted with the offending text, for assertion messages. */
export function kustoErrors(query: string): string[] {
  return kustoDiagnostics(query)
    .filter((d) => d.severity === 'Error')
    .map((d) => `${d.message} at ${d.start} near ${JSON.stringify(query.slice(Math.max(0, d.start - 20), d.start + d.length + 20))}`);
}
