// Every migration, in order. Add new ones at the end (003_bot_state.ts, ...); never edit one that shipped.
import { m001Initial } from './001_initial.js';
import { m002History } from './002_history.js';
import { m003BotState } from './003_bot_state.js';
import type { Migration } from './types.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [m001Initial, m002History, m003BotState];
