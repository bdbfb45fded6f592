package dev.herald.tenant.web;

import dev.herald.tenant.Company;
import dev.herald.tenant.CompanySettings;

/** The Settings > Company form as typed. */
public class CompanySettingsForm {

  private String name = "";
  private String country = "";
  private String timeZone = "";

  /** A zone found with the search, which wins over the short list. */
  private String timeZoneSearch = "";

  private String language = "";
  private String smsSenderName = "";
  private int version;

  static CompanySettingsForm of(Company c) {
    CompanySettingsForm form = new CompanySettingsForm();
    form.name = c.name();
    form.country = c.country();
    form.timeZone = c.timeZone().getId();
    form.language = c.language().code();
    form.smsSenderName = c.smsSenderName() == null ? "" : c.smsSenderName();
    form.version = c.version();
    return form;
  }

  CompanySettings toSettings() {
    return new CompanySettings(name, country, effectiveTimeZone(), language, smsSenderName);
  }

  String effectiveTimeZone() {
    return timeZoneSearch == null || timeZoneSearch.isBlank() ? timeZone : timeZoneSearch.strip();
  }

  public String getTimeZoneSearch() {
    return timeZoneSearch;
  }

  public void setTimeZoneSearch(String timeZoneSearch) {
    this.timeZoneSearch = timeZoneSearch;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCountry() {
    return country;
  }

  public void setCountry(String country) {
    this.country = country;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getLanguage() {
    return language;
  }

  public void setLanguage(String language) {
    this.language = language;
  }

  public String getSmsSenderName() {
    return smsSenderName;
  }

  public void setSmsSenderName(String smsSenderName) {
    this.smsSenderName = smsSenderName;
  }

  public int getVersion() {
    return version;
  }

  public void setVersion(int version) {
    this.version = version;
  }
}
