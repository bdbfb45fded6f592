package dev.herald.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A REST client as an integrator uses Herald: JSON over HTTP with a company API key. */
public final class Api {

  public static final JsonMapper json = JsonMapper.builder().build();
  private static final HttpClient http = HttpClient.newHttpClient();

  private final String base;
  private final String key;
  private String language = "en";

  public Api(int port, String key) {
    this.base = "http://localhost:" + port;
    this.key = key;
  }

  public Api inLanguage(String language) {
    return new Api(base, key, language);
  }

  private Api(String base, String key, String language) {
    this.base = base;
    this.key = key;
    this.language = language;
  }

  /** A response with its body parsed (a JSON null node when the body is empty or not JSON). */
  public record Response(
      int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {}

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  public Response post(String path, String body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response postWithKey(String path, String idempotencyKey, String body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response put(String path, String body, String... headers) {
    HttpRequest.Builder r = request(path).header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return send(r.PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Language", language);
    if (key != null) {
      r.header("Authorization", "Bearer " + key);
    }
    return r;
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
      } catch (RuntimeException notJson) {
        body = json.nullNode();
      }
      return new Response(response.statusCode(), body, response.body(), response.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
