// Explicit named exports only (STYLE.md §1).
export { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type CliIo, type Command } from './command.js';
export { main, type MainOptions } from './main.js';
