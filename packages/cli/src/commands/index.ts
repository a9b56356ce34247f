/** Every subcommand, in help order. Later issues add `drill` here. */
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { inspectCommand } from './inspect.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { verifyCommand } from './verify.js';

export const commands: readonly Command[] = [checkCommand, runCommand, replayCommand, inspectCommand, verifyCommand];
