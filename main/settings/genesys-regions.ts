// Genesys Cloud region keys as the SDK names them (notes/genesys.md §B.2). Settings store the key;
// the genesys layer maps it to api.<domain> / login.<domain>. The keys are part of the settings
// file format, so entries are only ever added.
export const GENESYS_REGION_KEYS = [
  'us_east_1',
  'us_east_2',
  'us_west_2',
  'ca_central_1',
  'sa_east_1',
  'mx_central_1',
  'eu_west_1',
  'eu_west_2',
  'eu_central_1',
  'eu_central_2',
  'eusc_de_east_1',
  'me_central_1',
  'ap_south_1',
  'ap_northeast_1',
  'ap_northeast_2',
  'ap_northeast_3',
  'ap_southeast_1',
  'ap_southeast_2',
] as const;

export type GenesysRegionKey = (typeof GENESYS_REGION_KEYS)[number];
