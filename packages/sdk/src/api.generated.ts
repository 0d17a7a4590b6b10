// Generated from packages/sdk/openapi.json by `pnpm --filter @clawea/control-plane generate:sdk`. Do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a tenant and its first admin key (platform bootstrap key). */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling key's tenant. */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key with roles; its token is shown once. */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /** Revoke a key at once; requests with it then get API_KEY_REVOKED. */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Built-in templates and the tenant's own, newest first (admin, security, operator, auditor, developer). */
        get: operations["listTemplates"];
        put?: never;
        /** Create a tenant template; its policy and secrets must exist in the tenant (admin). */
        post: operations["createTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{template_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One template (admin, security, operator, auditor, developer). */
        get: operations["getTemplate"];
        put?: never;
        post?: never;
        /** Delete a tenant template no live agent uses; built-ins are read-only (admin). */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Agents, newest first, optionally by status or template (admin, security, operator, auditor, developer). */
        get: operations["listAgents"];
        put?: never;
        /** Deploy an agent from a template: 202 with the agent provisioning and its deploy pending (admin, operator). */
        post: operations["createAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One agent (admin, security, operator, auditor, developer). */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        /** Ask the data plane to destroy an agent; supersedes a pending deploy, sleep or wake; 409 once destroyed or destroying (admin, operator). */
        delete: operations["destroyAgent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status and usage as the data plane last reported them (admin, security, operator, auditor, developer). */
        get: operations["getAgentHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}/sleep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the data plane to stop a running agent's sandbox (workspace kept unless stateless); 409 unless running with nothing pending (admin, operator). */
        post: operations["sleepAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}/wake": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the data plane to start a sleeping agent's sandbox; 409 unless sleeping with nothing pending (admin, operator). */
        post: operations["wakeAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fleet/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Agent counts by status and template and resource totals (admin, security, operator, auditor, developer, finance). */
        get: operations["getFleetSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's policies, newest first. */
        get: operations["listPolicies"];
        put?: never;
        /** Register a WPC document; stored immutable under its hash. The same document again answers 200 with the stored policy. */
        post: operations["createPolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{hash}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A policy and its document. */
        get: operations["getPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenant/default-policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set (or clear, with null) the tenant's default WPC. */
        put: operations["setDefaultPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Assign a WPC to an agent; the live agent's enforcement is updated through an `agent.policy_update` job. */
        patch: operations["assignAgentPolicy"];
        trace?: never;
    };
    "/v1/agents/{agent_id}/policy-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which WPC the agent had when, who assigned it; `at` answers with the one in force at that instant. */
        get: operations["getAgentPolicyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/preflight": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Would this scope be allowed under this WPC? Decided by the gateway's own decision function, as the apply phase of a run whose approval granted exactly the scope's side effects. A denial is a 200 with `allowed: false`. */
        post: operations["preflight"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/secrets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Create (201) or replace (200) a secret; the answer is its metadata, never its value. */
        put: operations["putSecret"];
        post?: never;
        /** Delete a secret; answers with the metadata it had. */
        delete: operations["deleteSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Secrets' metadata, by name. */
        get: operations["listSecrets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Usage in [from, to), summed by group (agent, template or UTC day), kind and model. `Accept: text/csv` or `format=csv` for CSV. */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/log/root": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The log's signed tree head at its current size, and the DID that signs it (any role). */
        get: operations["getLogRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/log/proof/inclusion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A Clawsig inclusion proof for a leaf (hash or index) against a signed root (any role). */
        get: operations["getLogInclusionProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/log/proof/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A proof that the log at size `from` is a prefix of the log at size `to` (any role). */
        get: operations["getLogConsistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a run: 202 with the run planning (phase A: read-only, side effects captured, not performed) (admin, operator, developer). */
        post: operations["startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs, newest first, optionally by agent or state. */
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run: state, phase, plan, approval, events so far, evidence links. */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's event chain as Server-Sent Events (`event: run_event`, `id` = seq), live until the run has ended and its evidence is written; `Last-Event-ID` resumes. With `follow=false`, the events so far and the stream ends. */
        get: operations["streamRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a run that has not ended: its CSTs are revoked at once, its evidence still written (admin, operator, developer). */
        post: operations["cancelRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The approvals inbox, newest first. */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals/{approval_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One approval with its signed receipt once decided. */
        get: operations["getApproval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals/{approval_id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve once, approve for scope (time-bound standing grant), or deny. Only the tenant's approver roles may decide, and not the requester of the run unless the tenant allows it. `X-Clawea-Client: dashboard` records the dashboard as the channel. */
        post: operations["decideApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approval-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who may approve, for how long cards and scope grants live, and the channels cards go to. */
        get: operations["getApprovalSettings"];
        /** Replace the tenant's approval settings (admin, security). */
        put: operations["putApprovalSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/slack/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Slack interactivity request URL: a button on an approval card (signed with the tenant's Slack signing secret; replays refused). */
        post: operations["slackCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/teams/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Teams relay callback: a button on an approval card (HMAC with the tenant's shared secret; replays refused). */
        post: operations["teamsCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/github/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** GitHub webhook (check_run requested_action) for an approval card (X-Hub-Signature-256; replays refused). */
        post: operations["githubCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs for audit, newest first: by agent, state, WPC hash, mission and time range (admin, security, auditor). */
        get: operations["listAuditRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run for audit: events, receipts, approval, the WPC at the time of the run, evidence and links. */
        get: operations["getAuditRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/runs/{run_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's signed, content-addressed Clawsig export bundle (`format=json`, the default), or the same files as a .tar.gz (`format=tar.gz`). `X-Clawea-Export-Sha256` is the bundle's content address. 409 EVIDENCE_NOT_READY until the run has ended. */
        get: operations["exportAuditRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/runs/{run_id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The shareable run summary: VERIFIED PASS/FAIL under the WPC and scope hashes, redacted side effects, what changed. */
        get: operations["getRunSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/runs/{run_id}/summary.html": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run summary as a small HTML page. */
        get: operations["getRunSummaryHtml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/artifacts/{sha256}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the tenant's artifacts by its SHA-256 (content-addressed; bytes are checked against the address). */
        get: operations["getArtifact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify/export-bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify an export bundle with the pure offline verifier (no fetches). Trust defaults to the platform's anchors (GET /v1/trust); pass `trust` to pin your own. Always 200: read `valid` and `reason_codes`. */
        post: operations["verifyExportBundle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify/proof-bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify a proof bundle envelope with the pure offline verifier (no fetches). Trust defaults to the platform's anchors (GET /v1/trust); pass `trust` to pin your own. Always 200: read `valid` and `reason_codes`. */
        post: operations["verifyProofBundle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify/execution-attestation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify an execution attestation envelope with the pure offline verifier (no fetches). Trust defaults to the platform's anchors (GET /v1/trust); pass `trust` to pin your own. Always 200: read `valid` and `reason_codes`. */
        post: operations["verifyExecutionAttestation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/trust": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The DIDs an auditor pins: gateway, data plane, control plane, log (the CLI's --trust file). */
        get: operations["getTrust"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description RFC 9457 problem details with clawea's reason code. */
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            reason_code: string;
            retryable: boolean;
            request_id: string;
        } & {
            [key: string]: unknown;
        };
        Tenant: {
            id: string;
            name: string;
            default_policy_hash: string | null;
            /** Format: date-time */
            created_at: string;
        };
        CreatedApiKey: {
            api_key: components["schemas"]["ApiKey"];
            /** @description Shown once: `Authorization: Bearer <token>`. */
            token: string;
        };
        ApiKey: {
            id: string;
            name: string;
            roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
            /** Format: date-time */
            created_at: string;
            expires_at: string | null;
            revoked_at: string | null;
            last_used_at: string | null;
        };
        Template: {
            id: string;
            name: string;
            description: string;
            /** @description Built-in templates are shared by every tenant and read-only. */
            builtin: boolean;
            /** @enum {string} */
            runtime: "openclaw" | "reference";
            model: string;
            resources: components["schemas"]["Resources"];
            sleep_after_seconds: number;
            stateless: boolean;
            default_policy_hash: string | null;
            secret_refs: string[];
            config: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
        };
        Resources: {
            cpu_millis: number;
            memory_mb: number;
            disk_mb: number;
        };
        /** @description Requested of the data plane and not yet carried out. */
        PendingAction: {
            /** @enum {string} */
            action: "deploy" | "sleep" | "wake" | "destroy";
            /** @description Also names the job: `jobIdFor("agent.<action>", action_id)`. */
            action_id: string;
            /** Format: date-time */
            requested_at: string;
        };
        Agent: {
            id: string;
            name: string;
            template_id: string;
            /** @enum {string} */
            status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
            pending_action: components["schemas"]["PendingAction"] | null;
            /** @description The agent's did:key; its private key never leaves the platform's sealed store. */
            did: string;
            policy_hash: string | null;
            /** @enum {string} */
            runtime: "openclaw" | "reference";
            model: string;
            resources: components["schemas"]["Resources"];
            sleep_after_seconds: number;
            stateless: boolean;
            secret_refs: string[];
            config: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        PolicySummary: {
            hash: string;
            policy_version: string;
            policy_id: string;
            name: string | null;
            /** Format: date-time */
            created_at: string;
            created_by_key_id: string | null;
        };
        PolicyAssignment: {
            id: string;
            agent_id: string;
            policy_hash: string | null;
            /** @description The WPC's `policy_id`, when the policy is in the registry. */
            policy_id: string | null;
            policy_name: string | null;
            /** Format: date-time */
            effective_from: string;
            /** @description Null while the assignment is in force. */
            effective_to: string | null;
            assigned_by_key_id: string | null;
        };
        /** @description What a job means to do. The same document is `clawea preflight --scope`'s file. */
        PreflightScope: {
            model_calls?: components["schemas"]["ModelCallIntent"][];
            egress?: components["schemas"]["EgressIntent"][];
            side_effects?: components["schemas"]["SideEffectIntent"][];
        };
        ModelCallIntent: {
            /** @example openai */
            provider: string;
            /** @example gpt-4.1-mini */
            model: string;
            /** @enum {string} */
            model_identity_tier?: "closed_opaque" | "closed_provider_manifest" | "openweights_hashable" | "tee_measured";
            /** @description Tokens the call may use (prompt + max output), checked against the run's budget. */
            estimated_tokens?: number;
        };
        /** @description A destination the job will reach through the gateway's egress proxy. */
        EgressIntent: {
            /** @example https://api.github.com/repos/acme/app */
            url: string;
            /** @description The HTTP method; leave it out for a CONNECT tunnel (HTTPS through the proxy). */
            method?: string;
        } | {
            /** @enum {string} */
            scheme: "http" | "https";
            host: string;
            /** @description Default: 80 for http, 443 for https. */
            port?: number;
            /** @description The HTTP method; leave it out for a CONNECT tunnel (HTTPS through the proxy). */
            method?: string;
        };
        SideEffectIntent: {
            /** @enum {string} */
            kind: "network_egress" | "filesystem_write" | "filesystem_delete" | "external_api_write" | "repo_push" | "email" | "chat_message";
            /** @description A URL for network egress and API writes, a path for files, the repository ref, address or channel otherwise. */
            target: string;
            summary?: string;
        };
        PreflightDecision: {
            /** @description JSON Pointer into the scope, such as `/egress/0`. */
            scope_path: string;
            /** @enum {string} */
            type: "model_call" | "egress" | "side_effect";
            /**
             * @description The side effect's kind (side effects only).
             * @enum {string}
             */
            kind?: "network_egress" | "filesystem_write" | "filesystem_delete" | "external_api_write" | "repo_push" | "email" | "chat_message";
            /** @description `provider/model`, or the side effect's canonical target (`https://host:443` for egress). */
            target: string;
            /** @enum {string} */
            effect: "allow" | "deny";
            /** @enum {string} */
            reason_code?: "POLICY_REQUEST_INVALID" | "POLICY_MODEL_DENIED" | "POLICY_EGRESS_DENIED" | "POLICY_SIDE_EFFECT_DENIED" | "POLICY_BUDGET_EXCEEDED" | "PLAN_PHASE_SIDE_EFFECT_CAPTURED" | "APPROVAL_REQUIRED" | "APPROVED_SCOPE_MISMATCH" | "SIDE_EFFECT_NOT_APPROVED";
            /** @description For people; programs read `reason_code`. */
            detail?: string;
            /** @description The statements that decided: the explicit Deny, or the Allows. */
            statement_ids: string[];
        };
        /** @description A secret's metadata; its value is never returned. */
        Secret: {
            name: string;
            /** @enum {string} */
            kind: "provider_key" | "gateway_token" | "integration_token";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            updated_by_key_id: string | null;
        };
        RefusedAction: {
            kind: string;
            target: string;
            reason_code: string;
        };
        RunApproval: {
            id: string;
            status: string;
            mode: string | null;
            decided_by: string | null;
            decided_via: string | null;
            decided_at: string | null;
            /** Format: date-time */
            expires_at: string;
            granted_scope_hash: string | null;
            grant_id: string | null;
            reason: string | null;
        };
        RunEvent: {
            seq: number;
            event_id: string;
            event_type: string;
            /** Format: date-time */
            timestamp: string;
            actor: string;
            payload: {
                [key: string]: unknown;
            };
            payload_hash_b64u: string;
            prev_hash_b64u: string | null;
            event_hash_b64u: string;
        };
        RunSummaryItem: {
            id: string;
            agent_id: string;
            /** @enum {string} */
            state: "planning" | "awaiting_approval" | "applying" | "completed" | "denied" | "failed" | "cancelled";
            mission_id: string | null;
            policy_hash: string;
            plan_hash: string | null;
            reason_code: string | null;
            /** Format: date-time */
            created_at: string;
            completed_at: string | null;
        };
        Approval: {
            id: string;
            run_id: string;
            agent_id: string;
            /** @enum {string} */
            status: "pending" | "approved" | "denied" | "expired" | "cancelled";
            plan_hash: string;
            policy_hash: string;
            requested_scope: {
                scope_hash_b64u: string;
                side_effects: {
                    kind: string;
                    target: string;
                }[];
            };
            granted_scope: {
                scope_hash_b64u: string;
                side_effects: {
                    kind: string;
                    target: string;
                }[];
            } | null;
            mode: string | null;
            grant_id: string | null;
            decided_by: string | null;
            decided_via: string | null;
            decided_at: string | null;
            reason: string | null;
            receipt: {
                [key: string]: unknown;
            } | null;
            /** Format: date-time */
            expires_at: string;
            /** Format: date-time */
            created_at: string;
        };
        AuditRunItem: {
            id: string;
            agent_id: string;
            state: string;
            mission_id: string | null;
            policy_hash: string;
            plan_hash: string | null;
            scope_hash: string | null;
            reason_code: string | null;
            has_evidence: boolean;
            /** Format: date-time */
            created_at: string;
            completed_at: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    admin_key_name?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tenant: components["schemas"]["Tenant"];
                        admin_key: components["schemas"]["CreatedApiKey"];
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        default_policy_hash: string | null;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
                    /** Format: date-time */
                    expires_at?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        api_key: components["schemas"]["ApiKey"];
                        /** @description Shown once: `Authorization: Bearer <token>`. */
                        token: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        revoked_at: string | null;
                        last_used_at: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        revoked_at: string | null;
                        last_used_at: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Template"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    /** @enum {string} */
                    runtime: "openclaw" | "reference";
                    /** @example openai/gpt-4.1-mini */
                    model: string;
                    resources: {
                        cpu_millis: number;
                        memory_mb: number;
                        disk_mb: number;
                    };
                    /** @description Idle time after which the agent sleeps on its own. */
                    sleep_after_seconds: number;
                    stateless: boolean;
                    default_policy_hash?: string;
                    /** @description Names of the tenant's secrets. */
                    secret_refs?: string[];
                    config?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description: string;
                        /** @description Built-in templates are shared by every tenant and read-only. */
                        builtin: boolean;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        default_policy_hash: string | null;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                template_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description: string;
                        /** @description Built-in templates are shared by every tenant and read-only. */
                        builtin: boolean;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        default_policy_hash: string | null;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                template_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description: string;
                        /** @description Built-in templates are shared by every tenant and read-only. */
                        builtin: boolean;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        default_policy_hash: string | null;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                status?: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                template_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Agent"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    template_id: string;
                    name: string;
                    /** @description Replace the template's settings for this agent; `resources` and `config` merge over the template's. */
                    overrides?: {
                        /** @example openai/gpt-4.1-mini */
                        model?: string;
                        resources?: {
                            cpu_millis?: number;
                            memory_mb?: number;
                            disk_mb?: number;
                        };
                        /** @description Idle time after which the agent sleeps on its own. */
                        sleep_after_seconds?: number;
                        stateless?: boolean;
                        /** @description Names of the tenant's secrets. */
                        secret_refs?: string[];
                        config?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        template_id: string;
                        /** @enum {string} */
                        status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                        pending_action: components["schemas"]["PendingAction"] | null;
                        /** @description The agent's did:key; its private key never leaves the platform's sealed store. */
                        did: string;
                        policy_hash: string | null;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        template_id: string;
                        /** @enum {string} */
                        status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                        pending_action: components["schemas"]["PendingAction"] | null;
                        /** @description The agent's did:key; its private key never leaves the platform's sealed store. */
                        did: string;
                        policy_hash: string | null;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    destroyAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        template_id: string;
                        /** @enum {string} */
                        status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                        pending_action: components["schemas"]["PendingAction"] | null;
                        /** @description The agent's did:key; its private key never leaves the platform's sealed store. */
                        did: string;
                        policy_hash: string | null;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAgentHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description As the data plane last reported it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agent_id: string;
                        /** @enum {string} */
                        status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                        pending_action: components["schemas"]["PendingAction"] | null;
                        last_active_at: string | null;
                        cpu_usage_millis: number | null;
                        memory_usage_mb: number | null;
                        sandbox_id: string | null;
                        last_error_code: string | null;
                        /** @description Times the data plane restarted a crashed sandbox. */
                        restart_count: number;
                        /** @description Health checks that found the sandbox dead or unreachable. */
                        failure_count: number;
                        last_restart_at: string | null;
                        last_failure_at: string | null;
                        last_failure_code: string | null;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sleepAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        template_id: string;
                        /** @enum {string} */
                        status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                        pending_action: components["schemas"]["PendingAction"] | null;
                        /** @description The agent's did:key; its private key never leaves the platform's sealed store. */
                        did: string;
                        policy_hash: string | null;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    wakeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        template_id: string;
                        /** @enum {string} */
                        status: "provisioning" | "running" | "sleeping" | "destroyed" | "failed";
                        pending_action: components["schemas"]["PendingAction"] | null;
                        /** @description The agent's did:key; its private key never leaves the platform's sealed store. */
                        did: string;
                        policy_hash: string | null;
                        /** @enum {string} */
                        runtime: "openclaw" | "reference";
                        model: string;
                        resources: components["schemas"]["Resources"];
                        sleep_after_seconds: number;
                        stateless: boolean;
                        secret_refs: string[];
                        config: {
                            [key: string]: unknown;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFleetSummary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Agents that are not destroyed. */
                        total: number;
                        /** @description Every agent, destroyed ones too. */
                        by_status: {
                            provisioning: number;
                            running: number;
                            sleeping: number;
                            destroyed: number;
                            failed: number;
                        };
                        /** @description Agents that are not destroyed, per template, most used first. */
                        by_template: {
                            template_id: string;
                            template_name: string;
                            agents: number;
                        }[];
                        /** @description Resource totals of agents that are not destroyed. */
                        resources: {
                            cpu_millis: number;
                            memory_mb: number;
                            disk_mb: number;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPolicies: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["PolicySummary"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A Work Policy Contract v1 or v2 (chosen by its `policy_version`), as the Clawsig schemas define it. */
                    document: {
                        [key: string]: unknown;
                    };
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hash: string;
                        policy_version: string;
                        policy_id: string;
                        name: string | null;
                        /** Format: date-time */
                        created_at: string;
                        created_by_key_id: string | null;
                        /** @description A Work Policy Contract v1 or v2 (chosen by its `policy_version`), as the Clawsig schemas define it. */
                        document: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hash: string;
                        policy_version: string;
                        policy_id: string;
                        name: string | null;
                        /** Format: date-time */
                        created_at: string;
                        created_by_key_id: string | null;
                        /** @description A Work Policy Contract v1 or v2 (chosen by its `policy_version`), as the Clawsig schemas define it. */
                        document: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description b64u SHA-256 of the WPC's JCS form. */
                hash: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hash: string;
                        policy_version: string;
                        policy_id: string;
                        name: string | null;
                        /** Format: date-time */
                        created_at: string;
                        created_by_key_id: string | null;
                        /** @description A Work Policy Contract v1 or v2 (chosen by its `policy_version`), as the Clawsig schemas define it. */
                        document: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setDefaultPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A policy of this tenant's registry, or null to clear the default. */
                    policy_hash: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        default_policy_hash: string | null;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    assignAgentPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description b64u SHA-256 of the WPC's JCS form. */
                    policy_hash: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        agent_id: string;
                        policy_hash: string | null;
                        /** @description The WPC's `policy_id`, when the policy is in the registry. */
                        policy_id: string | null;
                        policy_name: string | null;
                        /** Format: date-time */
                        effective_from: string;
                        /** @description Null while the assignment is in force. */
                        effective_to: string | null;
                        assigned_by_key_id: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAgentPolicyHistory: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                /** @description Only the assignment in force at this instant (at most one item). */
                at?: string;
            };
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["PolicyAssignment"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    preflight: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Exactly one of `policy_hash` (the tenant's registry) or `wpc` (an inline document). */
        requestBody: {
            content: {
                "application/json": {
                    /** @description A policy of this tenant's registry (b64u SHA-256 of the WPC's JCS form). */
                    policy_hash?: string;
                    /** @description A Work Policy Contract v1 or v2, not stored. A parent it `inherits` is looked up in this tenant's registry by `policy_id`. */
                    wpc?: {
                        [key: string]: unknown;
                    };
                    scope: components["schemas"]["PreflightScope"];
                    /**
                     * Format: date-time
                     * @description Decide as of this instant (conditions on `Context:Hour`); default: now.
                     */
                    now?: string;
                } & (unknown | unknown);
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        allowed: boolean;
                        /** @description Each denial's code once, in the order the scope first produced it. */
                        reason_codes: string[];
                        /** @description One per intent: model calls, then egress, then side effects. */
                        decisions: components["schemas"]["PreflightDecision"][];
                        policy_hash_b64u: string;
                        /** Format: date-time */
                        evaluated_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lowercase letters, digits, `_`, `.`, `-`; 1-64 characters. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Write-only: sealed at rest and never returned. */
                    value: string;
                    /** @enum {string} */
                    kind: "provider_key" | "gateway_token" | "integration_token";
                };
            };
        };
        responses: {
            /** @description A secret's metadata; its value is never returned. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "provider_key" | "gateway_token" | "integration_token";
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        updated_by_key_id: string | null;
                    };
                };
            };
            /** @description A secret's metadata; its value is never returned. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "provider_key" | "gateway_token" | "integration_token";
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        updated_by_key_id: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lowercase letters, digits, `_`, `.`, `-`; 1-64 characters. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A secret's metadata; its value is never returned. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "provider_key" | "gateway_token" | "integration_token";
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        updated_by_key_id: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSecrets: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Secret"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query: {
                /** @description Inclusive start. */
                from: string;
                /** @description Exclusive end; at most 366 days after `from`. */
                to: string;
                group_by: "agent" | "template" | "day";
                /** @description Rows per page (JSON only; CSV is always the whole report). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                /** @description Overrides the Accept header: `csv` answers text/csv. */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        from: string;
                        /** Format: date-time */
                        to: string;
                        /** @enum {string} */
                        group_by: "agent" | "template" | "day";
                        rows: {
                            /** @description Agent id, template id or UTC day (YYYY-MM-DD); null for events without one. */
                            group: string | null;
                            /** @enum {string} */
                            kind: "compute_seconds" | "tokens_in" | "tokens_out" | "verifications";
                            model: string | null;
                            quantity: number;
                        }[];
                        next_cursor: string | null;
                    };
                    "text/csv": string;
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The log's current signed tree head (the empty log's root is SHA-256 of nothing). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        log_id: string;
                        /** @description The did:key that signs this log's roots: pin it as a trusted signer in role `log`. */
                        log_did: string;
                        tree_size: number;
                        /** @description SHA-256, base64url without padding. */
                        root_hash_b64u: string;
                        /** Format: date-time */
                        published_at: string;
                        root_signature: {
                            /** @description The log's did:key. */
                            signer_did: string;
                            /** @description Ed25519 over the UTF-8 bytes of `root_hash_b64u`. */
                            sig_b64u: string;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogInclusionProof: {
        parameters: {
            query: {
                /** @description The leaf's hash (base64url SHA-256) or its index. */
                leaf: string;
                /** @description Prove against this size; by default the newest published head that holds the leaf. */
                tree_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A Clawsig `log_inclusion_proof.v1`: verify it offline with `clawea verify log-proof`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        proof_version: "1";
                        log_id: string;
                        tree_size: number;
                        /** @description SHA-256, base64url without padding. */
                        leaf_hash_b64u: string;
                        /** @description SHA-256, base64url without padding. */
                        root_hash_b64u: string;
                        /** @description Sibling hashes, leaf level first. */
                        audit_path: string[];
                        /** Format: date-time */
                        root_published_at: string;
                        root_signature: {
                            /** @description The log's did:key. */
                            signer_did: string;
                            /** @description Ed25519 over the UTF-8 bytes of `root_hash_b64u`. */
                            sig_b64u: string;
                        };
                        metadata: {
                            leaf_index: number;
                            merkle_algorithm: string;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLogConsistencyProof: {
        parameters: {
            query: {
                /** @description The older tree size. */
                from: number;
                /** @description The newer tree size, at most the log's size. */
                to: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Proves the tree of `from_size` leaves is a prefix of the tree of `to_size`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        log_id: string;
                        from_size: number;
                        to_size: number;
                        /** @description SHA-256, base64url without padding. */
                        from_root_hash_b64u: string;
                        /** @description SHA-256, base64url without padding. */
                        to_root_hash_b64u: string;
                        /** @description The old tree's maximal complete subtrees, then the new tree's after the old size. */
                        proof: string[];
                        merkle_algorithm: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description What the agent should do. */
                    task: string;
                    /** @description Binds the run to a mission; carried into its events and evidence. */
                    mission_id?: string;
                    /** @description Free-form inputs handed to the agent. */
                    inputs?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        agent_id: string;
                        /** @enum {string} */
                        state: "planning" | "awaiting_approval" | "applying" | "completed" | "denied" | "failed" | "cancelled";
                        phase: string | null;
                        task: string;
                        mission_id: string | null;
                        inputs: {
                            [key: string]: unknown;
                        };
                        policy_hash: string;
                        plan: {
                            [key: string]: unknown;
                        } | null;
                        plan_hash: string | null;
                        scope_hash: string | null;
                        reason_code: string | null;
                        refused: components["schemas"]["RefusedAction"][] | null;
                        approval: components["schemas"]["RunApproval"] | null;
                        evidence: {
                            [key: string]: unknown;
                        } | null;
                        events: components["schemas"]["RunEvent"][];
                        links: {
                            self: string;
                            events: string;
                            audit: string;
                            export: string;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        completed_at: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRuns: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                agent_id?: string;
                state?: "planning" | "awaiting_approval" | "applying" | "completed" | "denied" | "failed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RunSummaryItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        agent_id: string;
                        /** @enum {string} */
                        state: "planning" | "awaiting_approval" | "applying" | "completed" | "denied" | "failed" | "cancelled";
                        phase: string | null;
                        task: string;
                        mission_id: string | null;
                        inputs: {
                            [key: string]: unknown;
                        };
                        policy_hash: string;
                        plan: {
                            [key: string]: unknown;
                        } | null;
                        plan_hash: string | null;
                        scope_hash: string | null;
                        reason_code: string | null;
                        refused: components["schemas"]["RefusedAction"][] | null;
                        approval: components["schemas"]["RunApproval"] | null;
                        evidence: {
                            [key: string]: unknown;
                        } | null;
                        events: components["schemas"]["RunEvent"][];
                        links: {
                            self: string;
                            events: string;
                            audit: string;
                            export: string;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        completed_at: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamRunEvents: {
        parameters: {
            query: {
                from_seq: number;
                /** @description Keep the stream open until the run ends (SSE). */
                follow: boolean;
            };
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        agent_id: string;
                        /** @enum {string} */
                        state: "planning" | "awaiting_approval" | "applying" | "completed" | "denied" | "failed" | "cancelled";
                        phase: string | null;
                        task: string;
                        mission_id: string | null;
                        inputs: {
                            [key: string]: unknown;
                        };
                        policy_hash: string;
                        plan: {
                            [key: string]: unknown;
                        } | null;
                        plan_hash: string | null;
                        scope_hash: string | null;
                        reason_code: string | null;
                        refused: components["schemas"]["RefusedAction"][] | null;
                        approval: components["schemas"]["RunApproval"] | null;
                        evidence: {
                            [key: string]: unknown;
                        } | null;
                        events: components["schemas"]["RunEvent"][];
                        links: {
                            self: string;
                            events: string;
                            audit: string;
                            export: string;
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        completed_at: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApprovals: {
        parameters: {
            query: {
                status?: "pending" | "approved" | "denied" | "expired" | "cancelled";
                limit: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"][];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                approval_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        run_id: string;
                        agent_id: string;
                        /** @enum {string} */
                        status: "pending" | "approved" | "denied" | "expired" | "cancelled";
                        plan_hash: string;
                        policy_hash: string;
                        requested_scope: {
                            scope_hash_b64u: string;
                            side_effects: {
                                kind: string;
                                target: string;
                            }[];
                        };
                        granted_scope: {
                            scope_hash_b64u: string;
                            side_effects: {
                                kind: string;
                                target: string;
                            }[];
                        } | null;
                        mode: string | null;
                        grant_id: string | null;
                        decided_by: string | null;
                        decided_via: string | null;
                        decided_at: string | null;
                        reason: string | null;
                        receipt: {
                            [key: string]: unknown;
                        } | null;
                        /** Format: date-time */
                        expires_at: string;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    decideApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                approval_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "approve_once" | "approve_scope" | "deny";
                    /** @description Approve less than the plan asks: a subset of its side effects. */
                    scope?: {
                        kind: string;
                        target: string;
                    }[];
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        run_id: string;
                        agent_id: string;
                        /** @enum {string} */
                        status: "pending" | "approved" | "denied" | "expired" | "cancelled";
                        plan_hash: string;
                        policy_hash: string;
                        requested_scope: {
                            scope_hash_b64u: string;
                            side_effects: {
                                kind: string;
                                target: string;
                            }[];
                        };
                        granted_scope: {
                            scope_hash_b64u: string;
                            side_effects: {
                                kind: string;
                                target: string;
                            }[];
                        } | null;
                        mode: string | null;
                        grant_id: string | null;
                        decided_by: string | null;
                        decided_via: string | null;
                        decided_at: string | null;
                        reason: string | null;
                        receipt: {
                            [key: string]: unknown;
                        } | null;
                        /** Format: date-time */
                        expires_at: string;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApprovalSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approver_roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
                        allow_self_approval: boolean;
                        approval_ttl_seconds: number;
                        scope_grant_ttl_seconds: number;
                        channels: {
                            slack?: {
                                /** @description Name of the tenant secret holding the bot token. */
                                bot_token_secret: string;
                                /** @description Name of the tenant secret holding the Slack signing secret. */
                                signing_secret_secret: string;
                                channel: string;
                                /** Format: uri */
                                api_url?: string;
                            };
                            teams?: {
                                webhook_url_secret: string;
                                hmac_secret_secret: string;
                            };
                            github?: {
                                token_secret: string;
                                webhook_secret_secret: string;
                                owner: string;
                                repo: string;
                                head_sha?: string;
                                pr_number?: number;
                                /** Format: uri */
                                api_url?: string;
                            };
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putApprovalSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    approver_roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
                    allow_self_approval: boolean;
                    approval_ttl_seconds: number;
                    scope_grant_ttl_seconds: number;
                    channels: {
                        slack?: {
                            /** @description Name of the tenant secret holding the bot token. */
                            bot_token_secret: string;
                            /** @description Name of the tenant secret holding the Slack signing secret. */
                            signing_secret_secret: string;
                            channel: string;
                            /** Format: uri */
                            api_url?: string;
                        };
                        teams?: {
                            webhook_url_secret: string;
                            hmac_secret_secret: string;
                        };
                        github?: {
                            token_secret: string;
                            webhook_secret_secret: string;
                            owner: string;
                            repo: string;
                            head_sha?: string;
                            pr_number?: number;
                            /** Format: uri */
                            api_url?: string;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approver_roles: ("admin" | "security" | "operator" | "auditor" | "finance" | "developer")[];
                        allow_self_approval: boolean;
                        approval_ttl_seconds: number;
                        scope_grant_ttl_seconds: number;
                        channels: {
                            slack?: {
                                /** @description Name of the tenant secret holding the bot token. */
                                bot_token_secret: string;
                                /** @description Name of the tenant secret holding the Slack signing secret. */
                                signing_secret_secret: string;
                                channel: string;
                                /** Format: uri */
                                api_url?: string;
                            };
                            teams?: {
                                webhook_url_secret: string;
                                hmac_secret_secret: string;
                            };
                            github?: {
                                token_secret: string;
                                webhook_secret_secret: string;
                                owner: string;
                                repo: string;
                                head_sha?: string;
                                pr_number?: number;
                                /** Format: uri */
                                api_url?: string;
                            };
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    slackCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    teamsCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    githubCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditRuns: {
        parameters: {
            query: {
                limit: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                agent_id?: string;
                state?: "planning" | "awaiting_approval" | "applying" | "completed" | "denied" | "failed" | "cancelled";
                policy_hash?: string;
                mission_id?: string;
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditRunItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAuditRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: {
                            [key: string]: unknown;
                        };
                        approval: {
                            [key: string]: unknown;
                        } | null;
                        wpc: {
                            policy_hash: string;
                            document: {
                                [key: string]: unknown;
                            } | null;
                        };
                        receipts: {
                            [key: string]: unknown;
                        }[];
                        evidence: {
                            [key: string]: unknown;
                        } | null;
                        links: {
                            [key: string]: string | null;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportAuditRun: {
        parameters: {
            query: {
                format: "json" | "tar.gz";
            };
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description export_bundle.v1 JSON, or application/gzip */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRunSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_id: string;
                        agent_id: string;
                        state: string;
                        reason_code: string | null;
                        mission_id: string | null;
                        /** @enum {string} */
                        verdict: "PASS" | "FAIL" | "PENDING";
                        verification_reason_codes: string[];
                        policy_hash: string;
                        scope_hash: string | null;
                        plan_hash: string | null;
                        approval: {
                            [key: string]: unknown;
                        } | null;
                        intended_side_effects: {
                            [key: string]: unknown;
                        }[];
                        side_effects: {
                            [key: string]: unknown;
                        }[];
                        refused: unknown[];
                        workspace_diff: unknown[];
                        links: {
                            [key: string]: string | null;
                        };
                        /** Format: date-time */
                        created_at: string;
                        completed_at: string | null;
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRunSummaryHtml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/html */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getArtifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sha256: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the artifact's bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyExportBundle: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    artifact: {
                        [key: string]: unknown;
                    };
                    trust?: {
                        allowed_signer_dids: string[];
                        roles?: {
                            [key: string]: string[];
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        valid: boolean;
                        reason_codes: string[];
                        findings: {
                            [key: string]: unknown;
                        }[];
                        details: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyProofBundle: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    artifact: {
                        [key: string]: unknown;
                    };
                    trust?: {
                        allowed_signer_dids: string[];
                        roles?: {
                            [key: string]: string[];
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        valid: boolean;
                        reason_codes: string[];
                        findings: {
                            [key: string]: unknown;
                        }[];
                        details: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyExecutionAttestation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    artifact: {
                        [key: string]: unknown;
                    };
                    trust?: {
                        allowed_signer_dids: string[];
                        roles?: {
                            [key: string]: string[];
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        valid: boolean;
                        reason_codes: string[];
                        findings: {
                            [key: string]: unknown;
                        }[];
                        details: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTrust: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        allowed_signer_dids: string[];
                        roles: {
                            [key: string]: string[];
                        };
                    };
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description RFC 9457 problem details with clawea's reason code. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
