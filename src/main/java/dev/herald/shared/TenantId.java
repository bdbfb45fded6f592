package dev.herald.shared;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** The id of a company (tenant); every tenant-owned row and internal call carries one. */
public record TenantId(UUID value) implements Serializable {

  public TenantId {
    Objects.requireNonNull(value, "tenant id");
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
