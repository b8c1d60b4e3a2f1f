// Public entry point: explicit named exports only.
export {};
