package dev.herald.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import java.util.UUID;

/** Contacts and documents made the way an integrator makes them, through the REST API. */
public final class DocumentFixtures {

  private DocumentFixtures() {}

  /** A contact; null e-mail or mobile leaves it out; the SMS box as given. */
  public static String aContact(
      Api api, String name, String language, String email, String mobile, boolean sms) {
    String json =
        """
        {"name": %s, "language": "%s", "emails": %s, "phones": %s,
         "preferences": {"email": %s, "sms": %s}}
        """
            .formatted(
                Api.json.writeValueAsString(name),
                language,
                email == null ? "[]" : "[\"" + email + "\"]",
                mobile == null ? "[]" : "[{\"type\": \"MOBILE\", \"number\": \"" + mobile + "\"}]",
                email != null,
                sms);
    Response r = api.post("/api/v1/contacts", json);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asString();
  }

  /** A draft of the kind with one line, due on the date; returns its id. */
  public static String aDocument(
      Api api, String kind, String contactId, String description, String dueDate) {
    String json =
        """
        {"kind": "%s", "contactId": "%s", "issueDate": "2026-11-30", "dueDate": "%s",
         "lines": [{"description": %s, "quantity": "2", "unitPrice": "225", "taxRate": "25"}]}
        """
            .formatted(kind, contactId, dueDate, Api.json.writeValueAsString(description));
    Response r = api.postWithKey("/api/v1/documents", UUID.randomUUID().toString(), json);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asString();
  }

  /** Sends it with the templates and the contact's preferences; returns the answer. */
  public static Response send(Api api, String documentId) {
    Response r =
        api.postWithKey(
            "/api/v1/documents/" + documentId + "/send", UUID.randomUUID().toString(), "{}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r;
  }
}
