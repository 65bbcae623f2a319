/** FastCCD: pump-probe binning, masks, azimuthal integration (issue 21). */
export {};
