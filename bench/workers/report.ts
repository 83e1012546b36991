// Each benchmark worker runs in its own process, so peak memory (maxRSS) is its own, and prints one JSON line.
export function report(result: Record<string, unknown>): void {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...result, maxRssMb: Math.round(maxRssMb) }) + '\n');
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
