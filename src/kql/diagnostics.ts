// Positioned diagnostics: what the lexer, parser and compiler report instead of throwing, and the one error
// type runKql throws when a query cannot run. Offsets are UTF-16 code units into the query text.

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  start: number;
  end: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.line}:${d.column}: ${d.message}`;
}

export class KqlError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics[0];
    super(first ? formatDiagnostic(first) : 'kql: query failed');
    this.name = 'KqlError';
    this.diagnostics = diagnostics;
  }
}

/** Turns offsets into line/column for one source text; built once per text. */
export class SourceMap {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.lineStarts[lo]! + 1 };
  }

  diagnostic(start: number, end: number, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
    const { line, column } = this.position(start);
    return { severity, message, start, end: Math.max(start, end), line, column };
  }
}

/** A problem found while compiling or running, carrying the source span it is about. */
export class PositionedError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'PositionedError';
  }
}
