package dev.tokenward.samples.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately raw HTTP/1.1 client for the contract tests: it sends exactly the header lines it
 * is given (several {@code Authorization} headers, an empty bearer value, odd characters), so the
 * tests see what the sample does with what a real client could send.
 */
public final class ContractHttp {
  private ContractHttp() {}

  /** {@code GET base + path} with no credentials. */
  public static Answer get(URI base, String path) {
    return get(base, path, List.of());
  }

  /** {@code GET} with {@code Authorization: Bearer token}. */
  public static Answer getWithToken(URI base, String path, String token) {
    return get(base, path, List.of("Authorization: Bearer " + token));
  }

  /** {@code GET} with the given header lines ({@code "Name: value"}), sent as they are. */
  public static Answer get(URI base, String path, List<String> headerLines) {
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
        .append("Accept: application/json\r\n")
        .append("Connection: close\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    request.append("\r\n");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed", e);
    }
  }

  private static Answer parse(byte[] raw) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IOException("no complete HTTP head in " + raw.length + " bytes");
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    boolean chunked = headers.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase("Transfer-Encoding")
        && e.getValue().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked")));
    if (chunked) {
      body = dechunk(body);
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (true) {
      int lineEnd = indexOf(java.util.Arrays.copyOfRange(in, pos, in.length), new byte[] {'\r', '\n'});
      if (lineEnd < 0) {
        throw new IOException("broken chunked body");
      }
      String size = new String(in, pos, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = Integer.parseInt(size, 16);
      pos += lineEnd + 2;
      if (n == 0) {
        return out.toByteArray();
      }
      out.write(in, pos, n);
      pos += n + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Reads a stream fully as UTF-8 (for process output). */
  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
