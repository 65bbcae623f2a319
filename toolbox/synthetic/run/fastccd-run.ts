/** Synthetic fastccd runs with known physics (issue 21). */
export {};
