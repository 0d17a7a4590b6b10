/** The egress proxy feature: its own listener (not a Fastify route) and the run's egress records. */
export { startEgressProxy, type EgressProxy, type EgressProxyOptions } from "./egress-proxy.server.js";
export { listEgressRecords, type EgressDecision, type EgressRecord } from "./egress-proxy.repo.js";
