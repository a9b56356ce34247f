/** Every subcommand, in help order. Later issues add `run`, `replay`, `inspect`, `drill`, `verify` here. */
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { runCommand } from './run.js';

export const commands: readonly Command[] = [checkCommand, runCommand];
