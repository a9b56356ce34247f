/** Every subcommand, in help order. Later issues add `run`, `replay`, `inspect`, `drill`, `verify` here. */
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { inspectCommand } from './inspect.js';
import { runCommand } from './run.js';
import { verifyCommand } from './verify.js';

export const commands: readonly Command[] = [checkCommand, runCommand, inspectCommand, verifyCommand];
