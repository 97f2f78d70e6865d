// Public surface of the network layer. Other modules import from here, never from undici.
export { createNetLayer, type NetLayer, type NetLayerOptions, type NetHealth, type NetDiagnostics } from './net-layer.ts';
export { NetConfigSchema, normalizeNetConfig, type NetConfig, type NetConfigInput, type SecretSource, type SecretName } from './config.ts';
export type { NetRequest, NetResponse, RetryChoice, ResponseHeaders } from './request.ts';
export { httpErrorFor, apiErrorFields, describeTarget } from './request.ts';
export type { WebSocketOptions, UpgradeProbeResult } from './websocket.ts';
export type { ProxyDecision, ProxySource, ProxyRoute, SystemProxyResolver, Env } from './proxy-resolver.ts';
export type { RetryPolicy } from './retry-policy.ts';
export { idempotentPolicy, oauthPolicy, NO_RETRY, parseRetryAfter } from './retry-policy.ts';
export { formatReport, failedCheck, reportOf, type DoctorReport, type DoctorCheck, type DoctorTarget, type DoctorHop, type CheckStatus } from './doctor.ts';
export * from './errors.ts';
/** The WebSocket type the factory returns (undici's WHATWG WebSocket). */
export type { WebSocket as NetWebSocket } from 'undici';
