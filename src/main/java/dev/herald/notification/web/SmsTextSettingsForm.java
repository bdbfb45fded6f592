package dev.herald.notification.web;

import dev.herald.tenant.Company;

/**
 * The SMS text settings form as typed; the cap stays text so that whatever was typed comes back.
 */
public class SmsTextSettingsForm {

  private boolean smartEncoding;
  private String segmentCap = "";

  static SmsTextSettingsForm of(Company company) {
    SmsTextSettingsForm form = new SmsTextSettingsForm();
    form.smartEncoding = company.smsSmartEncoding();
    form.segmentCap = Integer.toString(company.smsSegmentCap());
    return form;
  }

  /** The cap typed, or -1 when it is not a whole number, which the range check then refuses. */
  int segmentCapValue() {
    try {
      return Integer.parseInt(segmentCap == null ? "" : segmentCap.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public boolean isSmartEncoding() {
    return smartEncoding;
  }

  public void setSmartEncoding(boolean smartEncoding) {
    this.smartEncoding = smartEncoding;
  }

  public String getSegmentCap() {
    return segmentCap;
  }

  public void setSegmentCap(String segmentCap) {
    this.segmentCap = segmentCap;
  }
}
