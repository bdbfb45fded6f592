package dev.herald.smstext;

/** How an SMS text goes on air: GSM 03.38 septets (SMPP data_coding 0x00) or UCS-2 (0x08). */
public enum SmsEncoding {
  GSM_7((byte) 0x00, 160, 153),
  UCS_2((byte) 0x08, 70, 67);

  private final byte dataCoding;
  private final int unitsInSinglePart;
  private final int unitsPerConcatenatedPart;

  SmsEncoding(byte dataCoding, int unitsInSinglePart, int unitsPerConcatenatedPart) {
    this.dataCoding = dataCoding;
    this.unitsInSinglePart = unitsInSinglePart;
    this.unitsPerConcatenatedPart = unitsPerConcatenatedPart;
  }

  /** The SMPP data_coding byte for this encoding. */
  public byte dataCoding() {
    return dataCoding;
  }

  /** Units (septets or UTF-16 units) a message may have and still go as one unconcatenated part. */
  public int unitsInSinglePart() {
    return unitsInSinglePart;
  }

  /** Units left for text in each part of a concatenated message, after the 6-byte UDH. */
  public int unitsPerConcatenatedPart() {
    return unitsPerConcatenatedPart;
  }
}
