// Explicit named exports only (STYLE.md §1).
export {};
