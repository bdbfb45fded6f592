package dev.herald.shared;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** The id of a company (tenant); every tenant-owned row and internal call carries one. */
public record TenantId(UUID value) implements Serializable {

  public TenantId {
    Objects.requireNonNull(value, "tenant id");
  }

  public static TenantId of(String value) {
    return new TenantId(UUID.fromString(value));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
