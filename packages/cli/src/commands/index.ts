/** Every subcommand, in help order. */
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { drillCommand } from './drill.js';
import { inspectCommand } from './inspect.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { verifyCommand } from './verify.js';

export const commands: readonly Command[] = [checkCommand, runCommand, replayCommand, drillCommand, inspectCommand, verifyCommand];
