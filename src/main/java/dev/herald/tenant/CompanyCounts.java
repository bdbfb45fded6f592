package dev.herald.tenant;

import dev.herald.shared.TenantId;

/**
 * A figure about a company that a module owning the data counts (contacts, for one), for pages that
 * may not depend on that module, such as the operator console. {@code key} names it in the message
 * bundles ({@code counts.<key>}).
 */
public interface CompanyCounts {

  String key();

  long count(TenantId company);
}
