package dev.herald.tenant.web;

/** Settings > Users: a user to add. The password is never sent back to the browser. */
public class NewUserForm {

  private String email = "";
  private String displayName = "";
  private String role = "STAFF";
  private String password = "";

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
