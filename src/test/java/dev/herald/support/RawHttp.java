package dev.herald.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a bare socket, for requests an HTTP client library refuses to send (control
 * characters in headers, raw {@code %00} in paths, malformed request lines): the bytes go out as
 * given, with {@code Connection: close}, and the answer is read until the server closes.
 */
public final class RawHttp {

  private RawHttp() {}

  /** The answer: status 0 when the server closed without one. */
  public record Answer(int status, Map<String, String> headers, String body, String head) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String contentType() {
      String type = header("content-type");
      return type == null ? "" : type;
    }
  }

  /** Sends {@code request} (request line, headers and body, as bytes) to localhost:port. */
  public static Answer send(int port, byte[] request) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException closedEarly) {
        // The server may answer and close before it read everything (a refused size).
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A request from its parts; {@code headers} are raw lines without CRLF. */
  public static byte[] request(String method, String target, byte[] body, String... headers) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(bytes, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String header : headers) {
      write(bytes, header + "\r\n");
    }
    if (body != null) {
      write(bytes, "Content-Length: " + body.length + "\r\n");
    }
    write(bytes, "Connection: close\r\n\r\n");
    if (body != null) {
      bytes.writeBytes(body);
    }
    return bytes.toByteArray();
  }

  private static void write(ByteArrayOutputStream bytes, String s) {
    // ISO-8859-1: every char below 256 becomes exactly that byte, control characters included.
    bytes.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[16384];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException reset) {
      // What arrived before a reset or a stall is the answer.
    }
    return bytes.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
    String start = new String(raw, 0, Math.min(raw.length, 5), StandardCharsets.ISO_8859_1);
    if (!start.equals("HTTP/") || end < 0) {
      String all = new String(raw, StandardCharsets.UTF_8);
      return new Answer(0, Map.of(), all, all);
    }
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), head);
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = indexOf(chunked, crlf, at);
      if (lineEnd < 0) {
        break;
      }
      String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      int from = lineEnd + 2;
      int to = Math.min(chunked.length, from + size);
      body.write(chunked, from, to - from);
      at = to + 2;
    }
    return body.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
