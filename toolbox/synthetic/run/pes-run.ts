/** Synthetic pes runs with known physics (issue 21). */
export {};
