// Genesys Cloud region keys as the SDK names them. Settings store the key; main/genesys/regions.ts
// (the single region table) maps it to api.<domain> / login.<domain>. The keys are part of the
// settings file format, so regions are only ever added there.
import { REGIONS, type RegionKey } from '../genesys/regions.ts';

export const GENESYS_REGION_KEYS = Object.keys(REGIONS) as [RegionKey, ...RegionKey[]];
