package dev.herald.tenant;

import dev.herald.shared.TenantId;
import java.io.Serializable;

/** The principal of a REST call authenticated by an API key: the company the key belongs to. */
public record ApiClient(TenantId tenantId) implements Serializable {}
