/** Synthetic hrixs runs with known physics (issue 21). */
export {};
