/** Typed errors of the spatial package. */
export type SpatialErrorCode =
  /** Options of a built-in strategy that are out of range or of the wrong type (the message names the option). */
  | 'SPATIAL_INVALID_OPTIONS'
  /** A strategy object that lacks what the port requires (the message names the member). */
  | 'SPATIAL_INVALID_STRATEGY';

export class SpatialError extends Error {
  override readonly name = 'SpatialError';

  constructor(
    readonly code: SpatialErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
