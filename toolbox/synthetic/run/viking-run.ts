/** Synthetic viking runs with known physics (issue 21). */
export {};
