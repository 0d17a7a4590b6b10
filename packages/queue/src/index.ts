/** @clawea/queue: the job catalog and the outbox that carries jobs from one plane to the other. */
export { JOBS, JOB_OPTIONS, QUEUES, jobIdFor, type Job, type JobName, type JobPayload, type QueueName } from "./jobs.js";
export { enqueue, relayOutbox, startOutboxRelay, type Enqueue, type JobSink, type OutboxRelay } from "./outbox.js";
export { DEFAULT_QUEUE_PREFIX, queuePrefixOf } from "./prefix.js";
