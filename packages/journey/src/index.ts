/** @clawea/journey: the main journey on a running platform, for `pnpm demo` and the end-to-end tests. */
export { ensurePlatform, type Platform, type PlatformOptions } from "./platform.js";
export { journeyTask, runJourney, waitForRunState, type JourneyOptions, type JourneyResult } from "./journey.js";
export { JOURNEY_MODEL, journeyPolicy, setUpTenant, splitModel, waitFor, type JourneyTenant, type TenantSetupInput } from "./tenant-setup.js";
export { startTargetServer, type ReceivedRequest, type TargetServer } from "./target-server.js";
