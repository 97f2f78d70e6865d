// Zod schemas of the Genesys Cloud Platform API shapes Pacekeeper uses (notes/genesys.md A–D).
// Field names follow the official SDK typings. Response schemas are lenient (unknown fields are
// stripped, so a newer platform that adds fields still parses); request schemas used by the
// simulator to answer 400s are the `.strict()` variants exported next to them.
import { z } from 'zod';

// ---- shared ----------------------------------------------------------------------------------

export const DomainEntityRefSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().optional(),
  selfUri: z.string().optional(),
});
export type DomainEntityRef = z.infer<typeof DomainEntityRefSchema>;

/** `ErrorBody` (notes A.5, D). Every non-OAuth error the platform returns has this shape. */
export const ErrorDetailSchema = z.object({
  errorCode: z.string().optional(),
  fieldName: z.string().optional(),
  entityId: z.string().optional(),
  entityName: z.string().optional(),
});
export const ErrorBodySchema = z.object({
  message: z.string(),
  code: z.string(),
  status: z.number().int(),
  contextId: z.string().optional(),
  entityId: z.string().optional(),
  entityName: z.string().optional(),
  messageWithParams: z.string().optional(),
  messageParams: z.record(z.string(), z.string()).optional(),
  details: z.array(ErrorDetailSchema).optional(),
  errors: z.array(z.unknown()).optional(),
  limit: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// ---- OAuth (notes B.1) -----------------------------------------------------------------------

export const OAuthTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
});
export type OAuthTokenResponse = z.infer<typeof OAuthTokenResponseSchema>;

export const OAuthErrorSchema = z.object({
  error: z.string(),
  description: z.string().optional(),
  error_description: z.string().optional(),
});
export type OAuthError = z.infer<typeof OAuthErrorSchema>;

// ---- outbound campaigns (notes A.2–A.4) ------------------------------------------------------

export const DIALING_MODES = ['agentless', 'preview', 'power', 'predictive', 'progressive', 'external'] as const;
export type DialingMode = (typeof DIALING_MODES)[number];
export const CAMPAIGN_STATUSES = ['on', 'stopping', 'off', 'complete', 'invalid', 'forced_off', 'forced_stopping'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const PhoneColumnSchema = z.object({ columnName: z.string().min(1), type: z.string().min(1) });
export const ContactSortSchema = z.object({
  fieldName: z.string().min(1),
  direction: z.enum(['ASC', 'DESC']).optional(),
  numeric: z.boolean().optional(),
});
export const RestErrorDetailSchema = z.object({ error: z.string(), details: z.string().optional() });
export const DynamicLineBalancingSettingsSchema = z.object({
  enabled: z.boolean().optional(),
  relativeWeight: z.number().int().min(0).max(100).optional(),
});
export const DynamicContactQueueingSettingsSchema = z.object({
  sort: z.boolean().optional(),
  filter: z.boolean().optional(),
});

const campaignShape = {
  id: z.string().optional(),
  name: z.string().min(1),
  dateCreated: z.string().optional(),
  dateModified: z.string().optional(),
  /** Required for updates; must equal the current value (409 otherwise). */
  version: z.number().int().optional(),
  contactList: DomainEntityRefSchema,
  queue: DomainEntityRefSchema.optional(),
  dialingMode: z.enum(DIALING_MODES),
  script: DomainEntityRefSchema.optional(),
  edgeGroup: DomainEntityRefSchema.optional(),
  site: DomainEntityRefSchema.optional(),
  campaignStatus: z.enum(CAMPAIGN_STATUSES).optional(),
  phoneColumns: z.array(PhoneColumnSchema),
  /** Target compliance abandon rate, percent. Required for power and predictive. */
  abandonRate: z.number().optional(),
  dncLists: z.array(DomainEntityRefSchema).optional(),
  callableTimeSet: DomainEntityRefSchema.optional(),
  callAnalysisResponseSet: DomainEntityRefSchema.optional(),
  errors: z.array(RestErrorDetailSchema).optional(),
  callerName: z.string(),
  callerAddress: z.string(),
  outboundLineCount: z.number().int().optional(),
  ruleSets: z.array(DomainEntityRefSchema).optional(),
  skipPreviewDisabled: z.boolean().optional(),
  previewTimeOutSeconds: z.number().int().optional(),
  alwaysRunning: z.boolean().optional(),
  contactSort: ContactSortSchema.optional(),
  contactSorts: z.array(ContactSortSchema).max(4).optional(),
  noAnswerTimeout: z.number().int().optional(),
  callAnalysisLanguage: z.string().optional(),
  priority: z.number().int().optional(),
  contactListFilters: z.array(DomainEntityRefSchema).optional(),
  division: DomainEntityRefSchema.optional(),
  agentOwnedColumn: z.string().optional(),
  dynamicContactQueueingSettings: DynamicContactQueueingSettingsSchema.optional(),
  skillColumns: z.array(z.string()).optional(),
  previewAutoEnd: z.boolean().optional(),
  /** Integer cap of calls per agent; kept in step with the decimal value. */
  maxCallsPerAgent: z.number().int().optional(),
  /** The tuning lever (written with PUT ?useMaxCallsPerAgentDecimal=true). */
  maxCallsPerAgentDecimal: z.number().optional(),
  callbackAutoAnswer: z.boolean().optional(),
  dynamicLineBalancingSettings: DynamicLineBalancingSettingsSchema.optional(),
  diagnosticsSettings: z.record(z.string(), z.unknown()).optional(),
  preciseDialingEnabled: z.boolean().optional(),
  selfUri: z.string().optional(),
};

export const CampaignSchema = z.object(campaignShape);
export type Campaign = z.infer<typeof CampaignSchema>;
/** PUT body: the whole object; unknown top-level fields are a 400. */
export const CampaignPutSchema = z.strictObject(campaignShape);

/** PATCH body (notes A.3): the pacing knobs only, no `version`. `maxCallsPerAgent` may be decimal. */
export const CampaignPatchRequestSchema = z.strictObject({
  outboundLineCount: z.number().int().optional(),
  abandonRate: z.number().optional(),
  maxCallsPerAgent: z.number().optional(),
  dynamicLineBalancingSettings: DynamicLineBalancingSettingsSchema.optional(),
  queue: z.object({ id: z.string().min(1) }).optional(),
});
export type CampaignPatchRequest = z.infer<typeof CampaignPatchRequestSchema>;

export function entityListingSchema<T extends z.ZodType>(entity: T) {
  return z.object({
    entities: z.array(entity),
    pageSize: z.number().int().optional(),
    pageNumber: z.number().int().optional(),
    total: z.number().int().optional(),
    pageCount: z.number().int().optional(),
    firstUri: z.string().optional(),
    nextUri: z.string().optional(),
    previousUri: z.string().optional(),
    lastUri: z.string().optional(),
    selfUri: z.string().optional(),
  });
}
export const CampaignEntityListingSchema = entityListingSchema(CampaignSchema);
export type CampaignEntityListing = z.infer<typeof CampaignEntityListingSchema>;

export const ConnectRateSchema = z.object({
  attempts: z.number().int(),
  connects: z.number().int(),
  connectRatio: z.number(),
});
export const CampaignStatsSchema = z.object({
  contactRate: ConnectRateSchema,
  idleAgents: z.number().int(),
  effectiveIdleAgents: z.number(),
  adjustedCallsPerAgent: z.number(),
  outstandingCalls: z.number().int(),
  scheduledCalls: z.number().int(),
  timeZoneRescheduledCalls: z.number().int().optional(),
  filteredOutContactsCount: z.number().int().optional(),
  rightPartyContactsCount: z.number().int().optional(),
  validAttempts: z.number().int().optional(),
  linesUtilization: z
    .object({ assignedOutboundLines: z.number().int(), totalAvailableOutboundLines: z.number().int() })
    .optional(),
  businessCategoryMetrics: z
    .object({ successCount: z.number().int(), neutralCount: z.number().int(), failureCount: z.number().int() })
    .optional(),
});
export type CampaignStats = z.infer<typeof CampaignStatsSchema>;

// ---- notifications (notes C) -----------------------------------------------------------------

export const ChannelSchema = z.object({
  connectUri: z.string().min(1),
  id: z.string().min(1),
  expires: z.string(),
});
export type Channel = z.infer<typeof ChannelSchema>;
export const ChannelEntityListingSchema = z.object({ entities: z.array(ChannelSchema) });

export const ChannelTopicSchema = z.object({
  id: z.string().min(1),
  selfUri: z.string().optional(),
  state: z.string().optional(),
  rejectionReason: z.string().optional(),
  missingPermissions: z.array(z.string()).optional(),
});
export type ChannelTopic = z.infer<typeof ChannelTopicSchema>;
export const ChannelTopicEntityListingSchema = z.object({ entities: z.array(ChannelTopicSchema) });
/** Body of PUT/POST …/subscriptions: a list of `{id}`. */
export const SubscriptionRequestSchema = z.array(z.strictObject({ id: z.string().min(1), selfUri: z.string().optional() }));

/** Every frame the streaming socket sends. */
export const NotificationEventSchema = z.object({
  topicName: z.string(),
  version: z.string().optional(),
  eventBody: z.unknown(),
  metadata: z.object({ CorrelationId: z.string().optional() }).optional(),
});
export type NotificationEvent = z.infer<typeof NotificationEventSchema>;

// ---- analytics conversation aggregates -------------------------------------------------------

export const AggregateQueryPredicateSchema = z.strictObject({
  type: z.enum(['dimension', 'property', 'metric']).optional(),
  dimension: z.string().optional(),
  metric: z.string().optional(),
  operator: z.enum(['matches', 'exists', 'notExists']).optional(),
  value: z.string().optional(),
  range: z.unknown().optional(),
});
export const AggregateQueryClauseSchema = z.strictObject({
  type: z.enum(['and', 'or']),
  predicates: z.array(AggregateQueryPredicateSchema),
});
export const AggregateQueryFilterSchema = z.strictObject({
  type: z.enum(['and', 'or']),
  clauses: z.array(AggregateQueryClauseSchema).optional(),
  predicates: z.array(AggregateQueryPredicateSchema).optional(),
});
export const ConversationAggregationQuerySchema = z.strictObject({
  /** ISO-8601 `start/end`. */
  interval: z.string().min(1),
  /** ISO-8601 duration; defaults to the whole interval. */
  granularity: z.string().optional(),
  timeZone: z.string().optional(),
  groupBy: z.array(z.string()).optional(),
  filter: AggregateQueryFilterSchema.optional(),
  metrics: z.array(z.string()).min(1),
  flattenMultivaluedDimensions: z.boolean().optional(),
  views: z.array(z.unknown()).optional(),
  alternateTimeDimension: z.string().optional(),
});
export type ConversationAggregationQuery = z.infer<typeof ConversationAggregationQuerySchema>;

export const StatisticalSummarySchema = z.object({
  max: z.number().optional(),
  min: z.number().optional(),
  count: z.number().optional(),
  sum: z.number().optional(),
  current: z.number().optional(),
  ratio: z.number().optional(),
  numerator: z.number().optional(),
  denominator: z.number().optional(),
  target: z.number().optional(),
});
export const ConversationAggregateQueryResponseSchema = z.object({
  results: z
    .array(
      z.object({
        group: z.record(z.string(), z.string()).optional(),
        data: z
          .array(
            z.object({
              interval: z.string(),
              metrics: z.array(z.object({ metric: z.string(), qualifier: z.string().optional(), stats: StatisticalSummarySchema })),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
export type ConversationAggregateQueryResponse = z.infer<typeof ConversationAggregateQueryResponseSchema>;
