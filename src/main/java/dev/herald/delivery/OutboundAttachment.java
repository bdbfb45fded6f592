package dev.herald.delivery;

import java.util.Objects;

/** A file sent with an e-mail: its name as the recipient sees it, its media type and bytes. */
public record OutboundAttachment(String filename, String contentType, byte[] content) {

  public OutboundAttachment {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(content, "content");
  }

  @Override
  public String toString() {
    return "OutboundAttachment[" + filename + ", " + content.length + " bytes]";
  }
}
