package dev.herald.operator.web;

/** The operator's form for a new company and its first owner. */
public class NewCompanyForm {

  private String name = "";
  private String plan = "STARTER";
  private String country = "DK";
  private String timeZone = "Europe/Copenhagen";
  private String timeZoneSearch = "";
  private String language = "da";
  private String smsSenderName = "";
  private String ownerEmail = "";
  private String ownerName = "";
  private String ownerPassword = "";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPlan() {
    return plan;
  }

  public void setPlan(String plan) {
    this.plan = plan;
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

  public String getTimeZoneSearch() {
    return timeZoneSearch;
  }

  public void setTimeZoneSearch(String timeZoneSearch) {
    this.timeZoneSearch = timeZoneSearch;
  }

  /** The zone found with the search, else the one chosen in the short list. */
  String effectiveTimeZone() {
    return timeZoneSearch == null || timeZoneSearch.isBlank() ? timeZone : timeZoneSearch.strip();
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

  public String getOwnerEmail() {
    return ownerEmail;
  }

  public void setOwnerEmail(String ownerEmail) {
    this.ownerEmail = ownerEmail;
  }

  public String getOwnerName() {
    return ownerName;
  }

  public void setOwnerName(String ownerName) {
    this.ownerName = ownerName;
  }

  public String getOwnerPassword() {
    return ownerPassword;
  }

  public void setOwnerPassword(String ownerPassword) {
    this.ownerPassword = ownerPassword;
  }
}
