// Genesys Cloud regions (notes/genesys.md B.2): API host api.<domain>, login host login.<domain>,
// notification sockets on streaming.<domain>. Cross-checked against the SDK's PureCloudRegionHosts
// and genesys-cloud-service-discovery-web.

export const REGIONS = {
  us_east_1: { aws: 'us-east-1', domain: 'mypurecloud.com', name: 'Americas (US East)' },
  us_west_2: { aws: 'us-west-2', domain: 'usw2.pure.cloud', name: 'Americas (US West)' },
  ca_central_1: { aws: 'ca-central-1', domain: 'cac1.pure.cloud', name: 'Americas (Canada)' },
  sa_east_1: { aws: 'sa-east-1', domain: 'sae1.pure.cloud', name: 'Americas (São Paulo)' },
  mx_central_1: { aws: 'mx-central-1', domain: 'mxc1.pure.cloud', name: 'Americas (Mexico)' },
  eu_west_1: { aws: 'eu-west-1', domain: 'mypurecloud.ie', name: 'EMEA (Dublin)' },
  eu_west_2: { aws: 'eu-west-2', domain: 'euw2.pure.cloud', name: 'EMEA (London)' },
  eu_central_1: { aws: 'eu-central-1', domain: 'mypurecloud.de', name: 'EMEA (Frankfurt)' },
  eu_central_2: { aws: 'eu-central-2', domain: 'euc2.pure.cloud', name: 'EMEA (Zurich)' },
  me_central_1: { aws: 'me-central-1', domain: 'mec1.pure.cloud', name: 'EMEA (UAE)' },
  ap_south_1: { aws: 'ap-south-1', domain: 'aps1.pure.cloud', name: 'Asia Pacific (Mumbai)' },
  ap_northeast_1: { aws: 'ap-northeast-1', domain: 'mypurecloud.jp', name: 'Asia Pacific (Tokyo)' },
  ap_northeast_2: { aws: 'ap-northeast-2', domain: 'apne2.pure.cloud', name: 'Asia Pacific (Seoul)' },
  ap_northeast_3: { aws: 'ap-northeast-3', domain: 'apne3.pure.cloud', name: 'Asia Pacific (Osaka)' },
  ap_southeast_1: { aws: 'ap-southeast-1', domain: 'apse1.pure.cloud', name: 'Asia Pacific (Jakarta)' },
  ap_southeast_2: { aws: 'ap-southeast-2', domain: 'mypurecloud.com.au', name: 'Asia Pacific (Sydney)' },
  us_east_2: { aws: 'us-east-2', domain: 'use2.us-gov-pure.cloud', name: 'FedRAMP (US East 2)' },
  eusc_de_east_1: { aws: 'eusc-de-east-1', domain: 'edee1.eusc-pure.cloud', name: 'EU Sovereign (Germany)' },
} as const;

export type RegionKey = keyof typeof REGIONS;

export interface RegionEndpoints {
  /** The region key, or `custom` for explicit base URLs (the simulator, a gateway). */
  region: RegionKey | 'custom';
  apiBaseUrl: string;
  loginBaseUrl: string;
  /** host:port the API and login hosts need allowlisted on a proxy. */
  allowlist: string[];
}

/**
 * Accepts a region key (`eu_west_1`), an AWS name (`eu-west-1`) or a domain (`mypurecloud.ie`,
 * also with an `api.`/`https://` prefix, as the SDK's setEnvironment does).
 */
export function findRegion(input: string): RegionKey | undefined {
  const s = input.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^(api|login)\./, '').replace(/\/.*$/, '');
  for (const [key, r] of Object.entries(REGIONS)) {
    if (s === key || s === r.aws || s === r.domain) return key as RegionKey;
  }
  return undefined;
}

export function regionEndpoints(input: string): RegionEndpoints {
  const key = findRegion(input);
  if (!key) throw new RangeError(`unknown Genesys Cloud region "${input.slice(0, 60)}"; use one of ${Object.keys(REGIONS).join(', ')}`);
  const domain = REGIONS[key].domain;
  return { region: key, apiBaseUrl: `https://api.${domain}`, loginBaseUrl: `https://login.${domain}`, allowlist: [`api.${domain}:443`, `login.${domain}:443`, `streaming.${domain}:443`] };
}

/** Explicit base URLs when given (the simulator, a gateway), else the region (US East by default). */
export function endpointsFor(o: { region?: string; apiBaseUrl?: string; loginBaseUrl?: string }): RegionEndpoints {
  return o.apiBaseUrl ? customEndpoints(o.apiBaseUrl, o.loginBaseUrl) : regionEndpoints(o.region ?? 'us_east_1');
}

/** Explicit base URLs (the simulator serves both on one origin). */
export function customEndpoints(apiBaseUrl: string, loginBaseUrl = apiBaseUrl): RegionEndpoints {
  const a = new URL(apiBaseUrl);
  const l = new URL(loginBaseUrl);
  const hp = (u: URL) => `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
  return { region: 'custom', apiBaseUrl: a.origin, loginBaseUrl: l.origin, allowlist: [...new Set([hp(a), hp(l)])] };
}
