// The sandbox organisation: campaigns that look like a real outbound operation (names, contact
// lists, queues, scripts, phone columns, caller id) plus the queues and agent users behind them.
// Everything is derived from the seed, so one seed gives the same ids on every start.
import type { Campaign, DialingMode, DomainEntityRef } from '../genesys/models.ts';
import type { ScenarioName } from './dialer/types.ts';
import type { Rng } from './random.ts';

export interface SimCampaignSpec {
  id?: string;
  name?: string;
  /** Default 'predictive'. Only predictive and power campaigns dial in the simulator. */
  dialingMode?: DialingMode;
  /** Default 'on'. */
  campaignStatus?: 'on' | 'off';
  /** Pacing value (lines per available agent), written to maxCallsPerAgentDecimal. Default 1.5. */
  maxCallsPerAgent?: number;
  /** Target abandon percentage. Default 3. */
  abandonRate?: number;
  /** Default 25. */
  outboundLineCount?: number;
  /** Dialer scenario driving this campaign's traffic. Default: chosen by position. */
  scenario?: ScenarioName;
}

export interface SimUser {
  id: string;
  name: string;
  queueId: string;
  campaignId: string;
  /** The dialer model's agent index this user stands for. */
  agentIndex: number;
}

export interface SimQueue {
  id: string;
  name: string;
  campaignId: string;
}

export interface SandboxWorld {
  campaigns: Campaign[];
  scenarios: Map<string, ScenarioName>;
  queues: SimQueue[];
  users: SimUser[];
}

interface Template {
  name: string;
  mode: DialingMode;
  status: 'on' | 'off';
  ratio: number;
  abandonRate: number;
  scenario: ScenarioName;
  list: string;
  queue: string;
  caller: string;
}

// Different scenarios per campaign so the sandbox dashboard shows different behaviour side by side.
const TEMPLATES: Template[] = [
  { name: 'Auto Renewals Q3 - Predictive', mode: 'predictive', status: 'on', ratio: 1.8, abandonRate: 3, scenario: 'steady', list: 'Auto Renewals Sep', queue: 'Outbound Renewals', caller: 'Northwind Insurance' },
  { name: 'Collections Early Stage', mode: 'predictive', status: 'on', ratio: 1.6, abandonRate: 2.5, scenario: 'lunchDip', list: 'Collections 30-60 DPD', queue: 'Collections Outbound', caller: 'Northwind Finance' },
  { name: 'Win-back Power Dial', mode: 'power', status: 'on', ratio: 1.2, abandonRate: 3, scenario: 'shiftChange', list: 'Lapsed Customers 2025', queue: 'Retention Outbound', caller: 'Northwind Insurance' },
  { name: 'Appointment Reminders', mode: 'preview', status: 'on', ratio: 1, abandonRate: 3, scenario: 'smallTeam', list: 'Clinic Appointments Next Week', queue: 'Reminders', caller: 'Northwind Health' },
  { name: 'Spring Promo Predictive', mode: 'predictive', status: 'off', ratio: 2, abandonRate: 3, scenario: 'burst', list: 'Spring Promo Leads', queue: 'Sales Outbound', caller: 'Northwind Direct' },
];

const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Femi', 'Grace', 'Hugo', 'Isla', 'Jon', 'Kai', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Vik', 'Wen', 'Yara', 'Zane'];
const LAST = ['Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Rossi', 'Silva', 'Tanaka', 'Weber'];

const ref = (kind: string, id: string, name: string): DomainEntityRef => ({ id, name, selfUri: `/api/v2/${kind}/${id}` });

/**
 * Builds the sandbox. `agentsFor` tells how many agents a scenario staffs at most, so each agent of
 * a campaign's dialer model has a user (for presence topics).
 */
export function buildWorld(
  rng: Rng,
  nowMs: number,
  campaigns: number | SimCampaignSpec[],
  agentsFor: (s: ScenarioName) => number,
): SandboxWorld {
  const specs: SimCampaignSpec[] = typeof campaigns === 'number' ? Array.from({ length: campaigns }, () => ({})) : campaigns;
  const shared = {
    division: ref('authorization/divisions', rng.uuid(), 'Home'),
    edgeGroup: ref('telephony/providers/edges/edgegroups', rng.uuid(), 'Outbound Edge Group'),
    site: ref('telephony/providers/edges/sites', rng.uuid(), 'Indianapolis DC'),
    callAnalysisResponseSet: ref('outbound/callanalysisresponsesets', rng.uuid(), 'Default Outbound Call Analysis'),
    callableTimeSet: ref('outbound/callabletimesets', rng.uuid(), 'US Business Hours (TCPA)'),
    dncList: ref('outbound/dnclists', rng.uuid(), 'Internal DNC'),
    script: ref('scripts', rng.uuid(), 'Default Outbound Script'),
  };
  const world: SandboxWorld = { campaigns: [], scenarios: new Map(), queues: [], users: [] };
  const usedIds = new Set<string>();
  specs.forEach((spec, i) => {
    const t = TEMPLATES[i % TEMPLATES.length] as Template;
    const round = Math.floor(i / TEMPLATES.length);
    const suffix = round > 0 ? ` #${round + 1}` : '';
    const id = spec.id ?? rng.uuid();
    if (usedIds.has(id)) throw new RangeError(`duplicate campaign id ${id}`);
    usedIds.add(id);
    const queue: SimQueue = { id: rng.uuid(), name: t.queue + suffix, campaignId: id };
    const mode = spec.dialingMode ?? t.mode;
    const ratio = spec.maxCallsPerAgent ?? t.ratio;
    const created = nowMs - rng.int(3, 60) * 86_400_000 - rng.int(0, 86_399) * 1000;
    const scenario = spec.scenario ?? t.scenario;
    const campaign: Campaign = {
      id,
      name: spec.name ?? t.name + suffix,
      dateCreated: new Date(created).toISOString(),
      dateModified: new Date(created + rng.int(1, 48) * 3_600_000).toISOString(),
      version: 1,
      contactList: ref('outbound/contactlists', rng.uuid(), t.list + suffix),
      queue: ref('routing/queues', queue.id, queue.name),
      dialingMode: mode,
      script: shared.script,
      edgeGroup: shared.edgeGroup,
      campaignStatus: spec.campaignStatus ?? t.status,
      phoneColumns: [
        { columnName: 'Cell', type: 'cell' },
        { columnName: 'Home', type: 'home' },
      ],
      abandonRate: spec.abandonRate ?? t.abandonRate,
      dncLists: [shared.dncList],
      callableTimeSet: shared.callableTimeSet,
      callAnalysisResponseSet: shared.callAnalysisResponseSet,
      errors: [],
      callerName: t.caller,
      callerAddress: `+1317555${String(100 + ((i * 37) % 900)).padStart(4, '0')}`,
      outboundLineCount: spec.outboundLineCount ?? 25,
      ruleSets: [],
      skipPreviewDisabled: false,
      previewTimeOutSeconds: mode === 'preview' ? 30 : 0,
      alwaysRunning: false,
      contactSorts: [{ fieldName: 'Priority', direction: 'DESC', numeric: true }],
      noAnswerTimeout: 30,
      callAnalysisLanguage: 'en-US',
      priority: 5 - (i % 5),
      contactListFilters: [],
      division: shared.division,
      dynamicContactQueueingSettings: { sort: false, filter: false },
      skillColumns: [],
      previewAutoEnd: false,
      maxCallsPerAgent: Math.max(1, Math.round(ratio)),
      maxCallsPerAgentDecimal: ratio,
      callbackAutoAnswer: false,
      dynamicLineBalancingSettings: { enabled: false, relativeWeight: 50 },
      selfUri: `/api/v2/outbound/campaigns/${id}`,
    };
    world.campaigns.push(campaign);
    world.scenarios.set(id, scenario);
    world.queues.push(queue);
    const n = Math.max(0, Math.floor(agentsFor(scenario)));
    for (let a = 0; a < n; a++) {
      world.users.push({ id: rng.uuid(), name: `${rng.pick(FIRST)} ${rng.pick(LAST)}`, queueId: queue.id, campaignId: id, agentIndex: a });
    }
  });
  return world;
}
