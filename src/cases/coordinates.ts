export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** Telegram sends valid pins, but a forwarded or crafted message may not: anything else is refused. */
export function validCoordinates(latitude: unknown, longitude: unknown): Coordinates | undefined {
  if (typeof latitude !== "number" || typeof longitude !== "number") return undefined;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) return undefined;
  return { latitude, longitude };
}
